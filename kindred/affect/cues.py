"""What a message asks for, beyond how it feels: the cues a supporter listens for.

The emotion model says *how* someone feels; it cannot say whether they want advice or just an
ear, whether "I'm fine" is meant, or name states GoEmotions has no label for (boredom,
loneliness, exhaustion). These short English and Korean phrase lists do that. They were written
from how people ask for help in ESConv-style support talk, before the evaluation set existed,
and are kept short on purpose: a cue only shifts the choice, the reading still drives it.

The conversational acts at the end (greeting, thanks, goodbye, a question about her, "that
helps") tell the stage logic (:mod:`.stage`) what the person just did; they were added after
reading half of ESConv's dev conversations, as common phrasings, not taken from its text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_PATTERNS: dict[str, dict[str, tuple[str, ...]]] = {
    # Wants to be told what to do.
    "asks_advice": {
        "en": (r"\bwhat (should|do|can) i do\b", r"\bshould i\b", r"\bany (advice|ideas|tips|suggestions)\b",
               r"\bhow (do|can|should) i\b", r"\bwhat would you do\b", r"\bhelp me (decide|figure)\b",
               r"\bwhat do you (suggest|recommend)\b", r"\bsuggest (something|anything)\b",
               r"\bgive me (something|ideas)\b", r"\brecommend\b"),
        "ko": (r"어떻게 (해야|하면|하지|할까)", r"뭘 (해야|하면|할까)", r"뭐 (하지|할까|해야)", r"해야 (할까|하나|돼)",
               r"추천", r"조언", r"방법 (있|없)", r"아이디어", r"좋을까"),
    },
    # Wants facts: how something works, what is normal, where to find something.
    "asks_info": {
        "en": (r"\bis it normal\b", r"\bhow long (does|do|will)\b", r"\bwhat (is|are) the\b.*\?",
               r"\bdo you know (if|whether|how|what)\b", r"\bwhat happens (if|when)\b", r"\bhow does\b"),
        "ko": (r"정상이야", r"정상인가", r"보통 (얼마나|몇)", r"얼마나 걸려", r"알아\?", r"원래 그래\?",
               r"어떻게 돼\?"),
    },
    # Plays a feeling down ("it's fine", "whatever"): with signs of hurt, a cue to look closer.
    "minimising": {
        "en": (r"\bi'?m (fine|ok|okay|good)\b", r"\bit'?s (fine|nothing|whatever|no big deal)\b",
               r"\bno big deal\b", r"\bdoesn'?t matter\b", r"\bwhatever\b", r"\bnot a big deal\b",
               r"\bhaha\b", r"\blol\b", r"\bi don'?t care\b", r"\bdon'?t worry about (it|me)\b"),
        "ko": (r"괜찮아", r"괜찮은데", r"괜찮겠지", r"별(거|일) 아니", r"상관없", r"아무렇지", r"신경 안 ?써", r"ㅋㅋ",
               r"ㅎㅎ", r"뭐 어때", r"됐어"),
    },
    "bored": {
        "en": (r"\bbored\b", r"\bboring\b", r"\bnothing to do\b", r"\bso dull\b", r"\bkill(ing)? time\b"),
        "ko": (r"심심", r"지루", r"할 ?게 없", r"할 일이 없", r"무료해"),
    },
    "lonely": {
        "en": (r"\blonely\b", r"\balone\b", r"\bno one (to|cares|calls|texts)\b", r"\bnobody\b",
               r"\bno friends\b", r"\bisolated\b", r"\bmiss (having|talking)\b"),
        "ko": (r"외로", r"혼자", r"아무도 (없|연락|안)", r"쓸쓸", r"친구가 없"),
    },
    "exhausted": {
        "en": (r"\bexhausted\b", r"\bdrained\b", r"\bburn(ed|t)? out\b", r"\bso tired\b", r"\bworn out\b"),
        "ko": (r"지쳤", r"지쳐", r"번아웃", r"피곤해", r"너무 피곤", r"기운이 없", r"천근만근", r"녹초", r"야근",
               r"잠 ?좀 자고 싶", r"못 잤", r"잠을 못"),
    },
    # Anger pointed at a person in their life (not at the companion).
    "blames_someone": {
        "en": (r"\b(my|his|her|their) (boss|manager|mom|mother|dad|father|brother|sister|friend|partner|"
               r"husband|wife|boyfriend|girlfriend|roommate|coworker|colleague|teacher|neighbou?r)\b",
               r"\b(he|she|they) (always|never|just|keeps?)\b"),
        "ko": (r"(팀장|부장|상사|사장|엄마|아빠|형|오빠|누나|언니|동생|친구|남친|여친|남편|아내|룸메|동료|선생님|옆집)"
               r"(이|가|은|는|님|이랑|한테)", r"걔(가|는)"),
    },
    # Hostility aimed at the companion itself.
    "hostile_to_companion": {
        "en": (r"\byou('re| are) (useless|stupid|dumb|annoying|worthless|a bot)\b", r"\bshut up\b",
               r"\bi hate you\b", r"\byou (don'?t|never) (understand|listen|get it)\b"),
        "ko": (r"너 (진짜 )?(쓸모없|멍청|짜증)", r"닥쳐", r"너(는|가)? 뭘 알아", r"너 싫어", r"넌 (몰라|이해 못)"),
    },
    # Events that carry a feeling the words need not name. GoEmotions labels *expressed* emotion,
    # so "my grandmother died" reads mostly neutral; a supporter hears the loss all the same.
    "loss": {
        "en": (r"\b(died|dead|passed away|passed on|funeral|eulogy|put (him|her|our \w+|my \w+) down)\b",
               r"\blost (the baby|my|our|her|his)\b(?! (?:job|keys?|wallet|phone|way|temper|voice|mind|appetite|bag|"
               r"passport|license|game|bet|match|password)\b)", r"\bmiscarr", r"\blosing (my|our)\b",
               r"\bput (\w+ )?to sleep\b", r"\bsaid (our |my )?goodbyes? to (?!(everyone|everybody|all|you)\b)\w+",
               r"(?<!\bi )\b(didn'?t|did not|never) wake up\b"),
        # "죽었" only of someone: "폰이 죽었어" is a flat battery and "죽겠어" is "so tired"; "잃었" only of
        # someone dear, not "지갑을 잃어버렸어".
        "ko": (r"돌아가셨", r"세상을 떠났", r"떠났어", r"무지개다리", r"하늘나라", r"장례", r"발인", r"유산했",
               r"기일", r"추도사", r"부고", r"안락사", r"49재", r"못 버텼",
               r"(강아지|고양이|햄스터|토끼|거북이|앵무새|새|개)\s+[가-힣]{1,3}(이|가)\s+죽었",
               r"(?<![가-힣])(?:(?:개|새)(?:가|는|도)|(?:강아지|고양이|냥이|댕댕이|멍멍이|반려\w*|햄스터|토끼|할머니|할아버지|엄마|아빠|"
               r"어머니|아버지|동생|형|누나|언니|오빠|친구|남편|아내|아이|아기|삼촌|이모|고모)(?:가|이|는|도)?)\s+"
               r"(\S+(?<![이가])\s+){0,3}?죽었|(강아지|고양이|새|개)(가|이|는|도)?죽었",
               r"(?<![가-힣])(강아지|고양이|반려\w*|할머니|할아버지|엄마|아빠|친구|가족|아이|아기)(를|을)\s*"
               r"(\S+\s+)?잃었"),
    },
    "setback": {
        "en": (r"\b(laid off|fired|broke up|dumped|rejected|divorc\w*)\b", r"\blost my job\b", r"\bgot let go\b",
               r"\bdidn'?t get (in|into|the|invited)\b",
               r"\bfailed\b", r"\bforgot my\b", r"\bnot invited\b", r"\bin the hospital\b"),
        "ko": (r"잘렸", r"해고", r"헤어졌", r"차였", r"이혼", r"떨어졌", r"초대 못", r"입원", r"몰랐어", r"까먹었",
               r"서운"),
    },
    # Someone dear now far away: missed, not lost.
    "apart": {
        "en": (r"\bmoved (away|abroad|to another|to a different)\b", r"\bi miss (him|her|them|my|our)\b",
               r"\bso far away\b"),
        "ko": (r"이사 ?갔", r"보고 ?싶", r"그리워", r"유학 ?갔", r"멀리 (갔|떠났|이사)"),
    },
    # Someone in hospital or seriously ill (often their family): worry for them, not a setback of their own.
    "someone_ill": {
        "en": (r"\b(in|to|from) the (hospital|er|icu)\b", r"\b(surgery|diagnosed|cancer|chemo|stroke|heart attack)\b",
               r"\b(is|are|got|so) (really |very )?sick\b"),
        "ko": (r"입원", r"수술", r"편찮", r"아프셔", r"응급실", r"진단", r"암이래", r"병원에 (있|계)"),
    },
    # Something they did and keep going back to: their own doing, not anger at someone.
    "regret": {
        "en": (r"\bi feel (so |really )?(bad|guilty|terrible) (about|for|that)\b", r"\bregret\b",
               r"\bi shouldn'?t have\b", r"\bi snapped at\b"),
        "ko": (r"후회", r"괜히 .{0,12}(냈|했|말했)", r"미안해서", r"마음에 (계속 )?걸려", r"잘못한 것 같"),
    },
    # Feelings said outright; a backstop for short messages the model misreads.
    "worry": {
        "en": (r"\b(nervous|anxious|scared|terrified|afraid|panic\w*|worried|worry)\b", r"\bwhat if\b"),
        "ko": (r"불안", r"걱정", r"긴장", r"떨려", r"초조", r"어떡하지", r"어쩌지", r"망하면", r"무서", r"두려"),
    },
    "angry_words": {
        "en": (r"\b(furious|angry|pissed|livid|so mad|sick of|fed up)\b",),
        "ko": (r"열받", r"화나", r"화난", r"화났", r"화가 나", r"짜증", r"빡쳐"),
    },
    # Good news words the model can miss when they are stated flatly.
    "good_news": {
        "en": (r"\bi got (the|a|in|into|accepted|promoted)\b", r"\bi passed\b", r"\bwe won\b", r"\bi did it\b",
               r"\bfinally\b", r"\bguess what\b", r"\bengaged\b", r"\bpromotion\b",
               r"\bhad (a|her|his|their) baby\b", r"\bgave birth\b", r"\bwas born\b",
               r"\bfinished (my|the|our)\b", r"\bi won\b", r"\bgot (a )?raise\b", r"\bproposed\b"),
        "ko": (r"합격(?!할|하면|하고 싶|하게|하길| 못| 안)", r"붙었", r"승진(?!하고 싶|할|하면| 못| 누락|에서)",
               r"해냈", r"드디어", r"이겼", r"결혼(해|한다)", r"대박", r"낳았", r"출산",
               r"태어났", r"끝냈", r"마쳤", r"다 썼", r"당첨", r"입선", r"수상", r"상 받았", r"월급 받았", r"성과급",
               r"프러포즈", r"청혼", r"뿌듯"),
    },
    # Conversational acts (see .stage).
    "greeting": {
        "en": (r"^\W*(hi|hello|hey|good (morning|afternoon|evening))\b",),
        "ko": (r"^\W*(안녕|하이|반가)",),
    },
    "thanks": {
        "en": (r"\bthank(s| you)?\b", r"\bappreciate (it|that|you|this)\b", r"\bthx\b"),
        "ko": (r"고마워", r"고맙", r"감사"),
    },
    "goodbye": {
        "en": (r"\b(good ?bye|bye|good night|see you|talk (to you )?later|take care)\b",),
        "ko": (r"잘 ?자", r"안녕히", r"다음에 (또|봐)", r"내일 (봐|또)", r"이만 (갈|잘)"),
    },
    "asks_about_her": {
        "en": (r"\b(have|did|do|were) you (ever|also|too)\b", r"\bwhat about you\b", r"\bhow about you\b",
               r"\bhave you (been|had|felt|gone)\b", r"\band you\?"),
        "ko": (r"너(는|도) (어때|그런 적|해 ?봤)", r"너는\?", r"넌 어때"),
    },
    "helped": {
        "en": (r"\b(that|it|this|you) (really )?(helps|helped)\b", r"\bhelpful\b", r"\b(good|great|nice) idea\b",
               r"\bi('ll| will| can| could) (try|do) (that|it|this)\b", r"\bmakes sense\b",
               r"\bfeel (a little |a bit )?better\b"),
        "ko": (r"도움이 (됐|돼|되)", r"해 ?볼게", r"좋은 (생각|방법)", r"그렇게 (해|할)게", r"나아졌", r"좀 나아"),
    },
}
_COMPILED = {cue: {lang: tuple(re.compile(p, re.IGNORECASE) for p in pats) for lang, pats in by_lang.items()}
             for cue, by_lang in _PATTERNS.items()}
CUES: tuple[str, ...] = tuple(_PATTERNS)


@dataclass(frozen=True)
class Cues:
    found: frozenset[str]

    def __contains__(self, cue: str) -> bool:
        return cue in self.found


def read_cues(text: str, language: str) -> Cues:
    """The cues in one message; other languages are checked with both lists."""
    languages = (language,) if language in {"en", "ko"} else ("en", "ko")
    found = {cue for cue, by_lang in _COMPILED.items()
             if any(p.search(text) for lang in languages for p in by_lang[lang])}
    return Cues(frozenset(found))


__all__ = ["CUES", "Cues", "read_cues"]
