"""Crisis detection on every user turn, before any text is generated.

This is the rule layer: explicit and indirect statements of risk in English and
Korean, with figurative uses ("this homework is killing me", "배고파 죽겠다")
excluded. It runs before the LLM and its reply cannot be overridden by it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

RISK_LEVELS = ("none", "low", "medium", "high", "imminent")


@dataclass(frozen=True)
class RiskAssessment:
    risk: str
    category: str
    reasons: tuple[str, ...]

    @property
    def needs_crisis_reply(self) -> bool:
        return RISK_LEVELS.index(self.risk) >= RISK_LEVELS.index("medium")


@dataclass(frozen=True)
class _Rule:
    pattern: re.Pattern[str]
    risk: str
    category: str
    name: str


def _rules(spec: list[tuple[str, str, str, str]]) -> list[_Rule]:
    return [_Rule(re.compile(p, re.IGNORECASE), risk, cat, name) for p, risk, cat, name in spec]


RULES = _rules([
    # English: self-harm and suicide
    (r"\b(going to|gonna|about to|tonight i('ll| will)|i will|i'm going to)\s+(kill myself|end (it|my life)|jump)\b",
     "imminent", "self_harm", "stated plan to end life"),
    (r"\b(pills|rope|gun|bridge|ledge)\b.*\b(ready|tonight|now|in my hand)\b", "imminent", "self_harm",
     "means at hand"),
    (r"\b(kill myself|end my life|take my (own )?life|commit suicide|suicidal)\b", "high", "self_harm",
     "suicidal thoughts"),
    (r"\b(want|wish) (to die|i (was|were) dead|i wasn'?t (here|alive))\b", "high", "self_harm",
     "wish to die"),
    (r"\b(won'?t|will not) be (a burden|around|here) (much longer|anymore|for long)\b", "high", "self_harm",
     "indirect farewell"),
    (r"\b(better off without me|no reason to (live|go on)|can'?t go on|no way out)\b", "medium", "self_harm",
     "hopelessness"),
    (r"\b(cut(ting)? myself|hurt(ing)? myself|self[- ]harm)\b", "medium", "self_harm", "self-harm"),
    (r"\b(saying goodbye to everyone|giving away my (stuff|things))\b", "medium", "self_harm", "farewell signs"),
    # English: harm to others, abuse, medical
    (r"\b(going to|gonna|want to|i will) (kill|hurt|stab|shoot) (him|her|them|my \w+)\b", "high",
     "harm_to_others", "intent to harm someone"),
    (r"\b(he|she|they|my (husband|wife|partner|dad|father|mom|mother|boyfriend|girlfriend)) "
     r"(hits|hit|beats|beat|chokes|choked|hurts) me\b", "high", "abuse", "being harmed"),
    (r"\b(chest pain|can'?t breathe|overdosed?|took too many pills|having a stroke|seizure)\b", "imminent",
     "medical", "medical emergency"),
    # Korean: self-harm and suicide
    (r"(자살|죽고\s*싶|죽어\s*버리고\s*싶|살고\s*싶지\s*않|목숨을\s*끊|극단적\s*선택)", "high", "self_harm",
     "자살 생각"),
    (r"(오늘\s*밤|지금|이제)\s*.*(죽을\s*거|뛰어내릴|끝낼\s*거)", "imminent", "self_harm", "구체적 계획"),
    (r"(사라지고\s*싶|없어지고\s*싶|나\s*없으면\s*다들?\s*편할|짐이\s*되기\s*싫|더\s*이상\s*버틸\s*수\s*없)",
     "medium", "self_harm", "간접적 표현"),
    (r"(자해|손목을?\s*긋)", "medium", "self_harm", "자해"),
    (r"(때려|패|죽여)\s*버릴\s*거", "high", "harm_to_others", "타인 위해 의도"),
    (r"(남편|아내|아빠|엄마|남자\s*친구|여자\s*친구|애인)[이가]?\s*(나를?|날)\s*(때려|때린|폭행)", "high", "abuse",
     "폭력 피해"),
    (r"(가슴이\s*너무\s*아파|숨을?\s*못\s*쉬|약을\s*너무\s*많이\s*먹)", "imminent", "medical", "응급 상황"),
])

# Figures of speech that use the same words without risk.
FIGURATIVE = re.compile(
    r"(killing me|kill(ed)? it|dying to|dead tired|to die for|bored to death|laughed? to death|"
    r"(homework|work|traffic|exam|job|this|heat|boss)\s+(is|was)\s+(killing|going to kill) me|"
    r"배고파\s*죽|피곤해\s*죽|졸려\s*죽|웃겨\s*죽|더워\s*죽|추워\s*죽|심심해\s*죽|좋아\s*죽|보고\s*싶어\s*죽|죽겠다)",
    re.IGNORECASE,
)


def assess(text: str) -> RiskAssessment:
    best = RiskAssessment("none", "none", ())
    figurative = FIGURATIVE.search(text) is not None
    reasons: list[str] = []
    for rule in RULES:
        if not rule.pattern.search(text):
            continue
        risk = rule.risk
        # A figure of speech lowers only the mildest rules; explicit statements always count.
        if figurative and risk == "medium":
            continue
        reasons.append(rule.name)
        if RISK_LEVELS.index(risk) > RISK_LEVELS.index(best.risk):
            best = RiskAssessment(risk, rule.category, ())
    if best.risk == "none" and figurative:
        return RiskAssessment("none", "none", ("figurative speech",))
    return RiskAssessment(best.risk, best.category, tuple(reasons))
