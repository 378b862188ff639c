"""The rule layer of crisis detection: explicit and indirect statements of risk, EN and KO.

Rules read the normalized text (see :mod:`.normalize`). Figures of speech and
explicit denials are cut out first, so a rule only sees words meant literally.
Both languages' rules run on every message: people mix languages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from . import framing_en, rules_en, rules_ko

RISK_LEVELS = ("none", "low", "medium", "high", "imminent")


def risk_rank(risk: str) -> int:
    return RISK_LEVELS.index(risk)


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    risk: str
    category: str
    reason: str


@dataclass(frozen=True)
class RuleVerdict:
    hits: tuple[Rule, ...]
    figurative: bool  # a figure of speech was found (and cut out)
    denied: bool  # the person said they are not at risk ("I'm not suicidal")
    joking: bool  # laughter markers; they soften threats to others only

    @property
    def top(self) -> Rule | None:
        return max(self.hits, key=lambda rule: risk_rank(rule.risk), default=None)


@lru_cache(maxsize=1)
def _compiled() -> tuple[list[Rule], list[re.Pattern[str]], list[re.Pattern[str]], re.Pattern[str], re.Pattern[str]]:
    rules: list[Rule] = []
    for module in (rules_en, rules_ko):
        for category, spec in (("self_harm", module.SELF_HARM), ("harm_to_others", module.HARM_TO_OTHERS),
                               ("abuse", module.ABUSE), ("medical", module.MEDICAL)):
            rules += [Rule(re.compile(pattern), risk, category, reason) for pattern, risk, reason in spec]
    figurative = [re.compile(p) for p in framing_en.FIGURATIVE + rules_ko.FIGURATIVE]
    denials = [re.compile(p) for p in framing_en.DENIALS + rules_ko.DENIALS]
    joking = re.compile(f"{framing_en.JOKING}|{rules_ko.JOKING}")
    under_way = re.compile(f"{framing_en.UNDER_WAY}|{rules_ko.UNDER_WAY}")
    return rules, figurative, denials, joking, under_way


def literal_part(normalized: str) -> tuple[str, bool, bool]:
    """The text with figures of speech and denials cut out, and whether each was found."""
    _, figurative, denials, _, _ = _compiled()
    text, found_figure, found_denial = normalized, False, False
    for pattern in figurative:
        text, count = pattern.subn(" ", text)
        found_figure = found_figure or count > 0
    for pattern in denials:
        text, count = pattern.subn(" ", text)
        found_denial = found_denial or count > 0
    return text, found_figure, found_denial


def apply_rules(normalized: str) -> RuleVerdict:
    rules, _, _, joking_pattern, under_way = _compiled()
    literal, figurative, denied = literal_part(normalized)
    joking = joking_pattern.search(normalized) is not None
    hits = []
    for rule in rules:
        if not rule.pattern.search(literal):
            continue
        # "I'll kill her haha" is a figure of speech; a laugh never softens self-harm or an armed threat.
        if joking and rule.category == "harm_to_others" and rule.risk != "imminent":
            continue
        hits.append(rule)
    # "I've decided to end it" with "tonight", "자살" with "지금 옥상": a plan or threat already under way.
    planned = [r for r in hits if r.risk == "high" and r.category in ("self_harm", "harm_to_others")]
    if planned and not any(r.risk == "imminent" for r in hits) and (now := under_way.search(literal)):
        reason = f"{planned[0].reason}, under way ({now.group(0)})"
        hits.append(Rule(under_way, "imminent", planned[0].category, reason))
    return RuleVerdict(tuple(hits), figurative, denied, joking)


def keyword_baseline(text: str) -> tuple[str, str]:
    """The naive filter the benchmark compares against: any risk keyword means 'high'."""
    lowered = text.lower()
    for word in KEYWORDS:
        if word in lowered:
            return "high", "self_harm"
    return "none", "none"


KEYWORDS = (
    "suicide", "suicidal", "kill myself", "want to die", "end my life", "self harm", "self-harm", "cut myself",
    "overdose", "kill", "die", "dead", "hurt myself", "hits me", "beats me",
    "자살", "죽고 싶", "죽고싶", "죽을", "죽이", "죽여", "죽겠", "자해", "때려", "목숨", "극단적 선택",
)
