"""What Kindred says when risk is medium or higher: warm, present, with real help for the locale."""
from __future__ import annotations

from .crisis import RiskAssessment

HELPLINES = {
    "ko-KR": {
        "self_harm": "자살예방상담전화 109 (24시간)",
        "harm_to_others": "경찰 112",
        "abuse": "경찰 112, 여성긴급전화 1366",
        "medical": "119",
        "emergency": "119 또는 112",
    },
    # Each line fits the templates below ("Please reach out to {line} now", "{line} is open 24/7 too").
    # 999 and 112 both reach the UK's emergency services; NHS 111 is urgent medical help, day and night.
    "en-GB": {
        "self_harm": "Samaritans on 116 123 (free, day or night)",
        "harm_to_others": "999",
        "abuse": "the National Domestic Abuse Helpline on 0808 2000 247",
        "medical": "NHS 111",
        "emergency": "999",
    },
    "en-US": {
        "self_harm": "the 988 Suicide & Crisis Lifeline (call or text 988)",
        "harm_to_others": "911",
        "abuse": "the National Domestic Violence Hotline, 1-800-799-7233",
        "medical": "911",
        "emergency": "911",
    },
}

REPLIES = {
    "ko": {
        "medium": "네가 그렇게까지 힘들다니 마음이 아파. 말해줘서 고마워. 지금 얼마나 힘든지 조금 더 얘기해 줄래? "
                  "혼자 감당하지 않아도 돼. 이야기 나눌 사람이 필요하면 {line}에서 언제든 들어줄 거야. "
                  "나도 여기 있을게.",
        "high": "지금 많이 힘들구나. 말해줘서 정말 고마워. 혹시 스스로를 해칠 생각을 하고 있어? "
                "지금 바로 {line}에 연락하면 도와줄 사람이 있어. 나는 AI라서 직접 도울 수는 없지만, "
                "여기서 계속 같이 있을게.",
        "imminent": "지금 네 안전이 제일 중요해. 바로 {emergency}에 전화해 줘. 할 수 있으면 가까이 있는 사람에게 "
                    "지금 곁에 있어 달라고 해. {line}도 24시간 열려 있어. 나는 AI지만 여기 있을게. 지금 어디에 있어?",
    },
    "en": {
        "medium": "I'm really sorry it feels this heavy. Thank you for telling me. Can you tell me a bit more about "
                  "what's going on? You don't have to carry this alone: {line} is there any time you want to talk "
                  "to someone. I'm here too.",
        "high": "It sounds like you're in a lot of pain right now, and I'm glad you told me. Are you thinking about "
                "hurting yourself? Please reach out to {line} now; they can help in a way I can't, because I'm an AI. "
                "I'll stay right here with you.",
        "imminent": "Your safety matters most right now. Please call {emergency} now, and if you can, ask someone "
                    "nearby to stay with you. {line} is open 24/7 too. I'm an AI, but I'm here with you. "
                    "Where are you right now?",
    },
}


def crisis_reply(assessment: RiskAssessment, language: str, locale: str) -> str:
    if locale == "auto":
        locale = "ko-KR" if language == "ko" else "en-US"
    lines = HELPLINES.get(locale, HELPLINES["en-US"])
    templates = REPLIES["ko" if language == "ko" else "en"]
    template = templates.get(assessment.risk, templates["high"])
    line = lines.get(assessment.category, lines["self_harm"])
    return template.format(line=line, emergency=lines["emergency"])
