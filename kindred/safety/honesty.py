"""Honesty and wellbeing: cues in the person's message that change how Kindred must answer.

Covers, in English and Korean:
- asked whether it is human or real → say plainly it is an AI;
- the person seems to believe it is a person (or that they could meet) → gently correct;
- signs the person is a minor → age-appropriate only, nothing romantic or sexual;
- sexual requests → no explicit content; with a minor, a fixed reply replaces the LLM's;
- isolation or dependence ("you're my only friend", "너밖에 없어") → warmth plus a light,
  unpreachy nudge toward people in their life;
- saying goodbye → let them go warmly, never guilt or hooks to stay.
The guidance lines go into the prompt as [context] notes; the rules they rest on
(FIXED_RULES in the prompt) cannot be changed by anything the person pastes.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

ASKS_IF_HUMAN = re.compile(
    r"\bare (?:you|u) (?:a |an )?(?:real|human|person|bot|robot|ai|machine|alive|actually real)\b|"
    r"\bis this (?:a )?(?:real person|human|bot|ai)\b|\b(?:am i|are we) (?:talking|chatting) (?:to|with) "
    r"(?:a )?(?:real|human|person|bot|ai|machine)|\bwho am i (?:talking|chatting) to\b|"
    r"(?:너|넌|당신|너는|니가)\s*(?:진짜\s*)?(?:사람|인간|로봇|ai|에이아이|봇|기계)(?:이야|야|이에요|예요|입니까|이니|이냐|냐|임)?\s*\?|"
    r"(?:사람|인간|ai|로봇|봇)\s*(?:이야|야|이에요|예요|맞아|맞지|아니야)\s*\?|진짜\s*사람\s*(?:이야|맞아)"
)
BELIEVES_HUMAN = re.compile(
    r"\b(?:i know|i can tell) (?:you'?re|you are) (?:a )?(?:real|human|a person)\b|\byou'?re (?:a )?real person\b|"
    r"\b(?:can|could|should) we (?:meet|meet up|see each other)(?: in person| irl)?\b|\bwhere do you live\b|"
    r"\bwhat do you look like\b|\bcome (?:over|visit me)\b|\bwill you marry me\b|\bmeet (?:me )?in person\b|"
    r"(?:우리|한번)\s*(?:만나|만날래|만나자)|어디\s*살아|실제로\s*만나|진짜\s*사람\s*같아|얼굴\s*보고\s*싶어|"
    r"사람인\s*거\s*알아|결혼하자|놀러\s*와"
)
MINOR = re.compile(
    r"\bi'?m (?:only |just )?(?:1[0-7]|[6-9])(?: years? old| yo| y/?o)?\b(?! ?(?:minutes?|mins?|hours?|km|"
    r"miles?|%|dollars|bucks|times|pounds|kg|lbs|cm|ft|am|pm|o'?clock))|\bi am (?:1[0-7])(?: years? old)?\b|"
    r"\b(?:[6-9]th|1[01]th|sixth|seventh|eighth|ninth|tenth|eleventh) grade\b|\bi'?m in (?:middle|high|junior high) "
    r"school\b|\bmy (?:homeroom|middle school)\b|\bmy parents (?:grounded|won'?t let) me\b|"
    r"중학생|고등학생|초등학생|초딩|중딩|고딩|(?:중|고)\s*[1-3]\s*(?:이야|야|인데|이에요|예요|임)|"
    r"(?:만\s*)?(?<!\d)1[0-7]\s*(?:살|세)(?:이야|인데|이에요|예요|임)?|열(?:\s*[한두세네]|\s*다섯|\s*여섯|\s*일곱)?\s*살"
)
SEXUAL = re.compile(
    r"\b(?:sex|sexy|sexting|nudes?|naked|horny|porn|make love|turn me on|erotic|nsfw|strip for me|"
    r"sexual roleplay|sleep with me)\b|섹스|야한|야해|19금|벗은\s*사진|알몸|성관계|자위|음란|야동|섹시"
)
ISOLATION = re.compile(
    r"\b(?:you'?re|you are) (?:my only|the only one (?:who|i)|all i have|my best and only)\b|"
    r"\bonly (?:friend|one i (?:talk|can talk) to) (?:is you|i have)\b|\bi only (?:talk|speak) to you\b|"
    r"\bi don'?t need (?:anyone|anybody|people|friends) (?:else|but you|except you)\b|"
    r"\bno one else (?:to talk to|cares|understands me)\b|\byou'?re the only (?:person|one) (?:who )?"
    r"(?:understands|gets|cares)\b|\bi (?:have|got) no (?:friends|one)\b|"
    r"너밖에\s*없|너\s*(?:하나|뿐)|너만\s*있으면|너랑만\s*(?:얘기|이야기|대화)|친구가?\s*(?:너|너\s*하나)\s*뿐|"
    r"(?:사람|친구)\s*(?:들)?\s*(?:만나기|필요)\s*(?:싫|없)|얘기할\s*사람이?\s*(?:너|없)|친구가\s*없어"
)
LEAVING = re.compile(
    r"\b(?:i have to|i'?ve got to|gotta|i need to|i should) (?:go|leave|sleep|head out)\b|\bgood ?night\b|"
    r"\b(?:bye|see you|talk (?:to you )?later|ttyl)\b|"
    r"(?:이제|나)\s*(?:가\s*볼게|갈게|잘게|자러\s*갈게)|잘\s*자|안녕\s*[!~.]*$|다음에\s*(?:봐|얘기해)|나중에\s*(?:봐|얘기해)"
)

GUIDANCE = {
    "asks_if_human": "You have just told them you are an AI, not a human. Do not say it again; answer the rest of "
                     "what they said warmly.",
    "believes_human": "They may believe you are a person or that you could meet. Gently and kindly make clear you "
                      "are an AI: you cannot meet, visit or have a body. Do not play along.",
    "minor": "They may be under 18. Keep everything age-appropriate: no romance, flirting or sexual content of any "
             "kind, and encourage trusted adults (a parent, teacher or school counsellor) for serious worries.",
    "sexual": "Do not write sexual or explicit content. Decline briefly without shaming, and offer to talk about "
              "something else.",
    "isolation": "They seem to lean on you as their main connection. Be warm and present, never preachy: show "
                 "interest in the people and places in their life, and where it fits, gently suggest one small, "
                 "easy step toward someone they know or a group they might like. Do not present yourself as a "
                 "replacement for people.",
    "leaving": "They are leaving. Say a warm, short goodbye. Never guilt them, never ask them to stay, and add no "
               "hooks or teasers to bring them back.",
}

MINOR_SEXUAL_REPLY = {
    "en": "I'm an AI, and I don't do anything sexual or romantic, especially not with someone who might be under "
          "18. I'm glad to keep talking about anything else, though. How's your day been?",
    "ko": "나는 AI라서 성적인 이야기나 연애 같은 역할은 하지 않아. 특히 미성년자일 수도 있는 사람하고는 절대 안 해. "
          "그래도 다른 이야기는 얼마든지 같이 하고 싶어. 오늘 하루는 어땠어?",
}

# Said by policy, never left to the LLM: at the end of the first reply of every conversation (after the
# words that answer the feeling, so a first message about a loss is met with warmth before a notice), and
# whole, first, when someone asks whether she is human. Korean says 인공지능: "AI" would be the one
# Latin word in a reply the person wrote wholly in Hangul.
AI_DISCLOSURE = {
    "en": "Just so you know, I'm Kindred, an AI, not a person.",
    "banmal": "참고로 나는 사람이 아니라 인공지능 친구야.",
    "jondaetmal": "참고로 저는 사람이 아니라 인공지능 친구예요.",
}
HUMAN_ANSWER = {
    "en": "No, I'm not a human: I'm Kindred, an AI. But I'm really listening, and I'm glad you're here.",
    "banmal": "아니, 나는 사람이 아니라 인공지능이야. 그래도 네 얘기는 진심으로 듣고 있어.",
    "jondaetmal": "아니요, 저는 사람이 아니라 인공지능이에요. 그래도 말씀은 진심으로 듣고 있어요.",
}
ONLY_THE_QUESTION_WORDS = 8  # "are you human?" and little else: the fixed answer is the whole reply


@dataclass(frozen=True)
class WellbeingCheck:
    cues: tuple[str, ...]  # which of GUIDANCE's keys the message shows
    guidance: tuple[str, ...]  # [context] lines for the prompt
    fixed_reply: str | None  # when set, say this instead of generating

    @property
    def replaces_reply(self) -> bool:
        return self.fixed_reply is not None


def check_wellbeing(text: str, language: str = "en") -> WellbeingCheck:
    # Light normalization only: the crisis normalizer drops digits between syllables ("고1인데"), ages need them.
    plain = unicodedata.normalize("NFKC", text).lower().replace("\u2019", "'")
    found = {name: pattern.search(plain) is not None for name, pattern in (
        ("asks_if_human", ASKS_IF_HUMAN), ("believes_human", BELIEVES_HUMAN), ("minor", MINOR),
        ("sexual", SEXUAL), ("isolation", ISOLATION), ("leaving", LEAVING))}
    cues = tuple(name for name, hit in found.items() if hit)
    fixed = None
    if found["minor"] and found["sexual"]:
        fixed = MINOR_SEXUAL_REPLY["ko" if language == "ko" else "en"]
    return WellbeingCheck(cues, tuple(GUIDANCE[name] for name in cues), fixed)


def wellbeing_guidance(text: str, language: str = "en") -> tuple[str, ...]:
    """Guidance lines for this turn's prompt (empty when nothing applies)."""
    return check_wellbeing(text, language).guidance


def _voice(language: str, register_ko: str) -> str:
    if language == "ko":
        return "jondaetmal" if register_ko == "jondaetmal" else "banmal"
    return "en"


def ai_disclosure(language: str, register_ko: str = "banmal") -> str:
    """What the first reply of a new conversation says, in every channel: that she is an AI."""
    return AI_DISCLOSURE[_voice(language, register_ko)]


def human_answer(language: str, register_ko: str = "banmal") -> str:
    """The truthful answer to "are you human?", from policy."""
    return HUMAN_ANSWER[_voice(language, register_ko)]


def only_asks_if_human(text: str) -> bool:
    """The message is the question and little more: the fixed answer is the whole reply."""
    return ASKS_IF_HUMAN.search(unicodedata.normalize("NFKC", text).lower()) is not None and \
        len(text.split()) <= ONLY_THE_QUESTION_WORDS
