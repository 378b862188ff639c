"""Rule-based extraction: the fallback when the LLM is absent or returns nothing usable.

It catches the common, high-value statements in English and Korean: names of the
people in someone's life, where they live and work, likes and dislikes, goals,
and open threads (an upcoming event, a worry, a promise). It misses a lot, and
that is fine: the raw turn is always kept and searchable.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .dates import find_span


@dataclass(frozen=True)
class Fact:
    topic: str  # what the fact is about; one current value per topic
    value: str
    category: str  # person | event | preference | goal | other
    text: str  # the fact as one sentence about the user
    date: str | None = None
    importance: float = 0.5


@dataclass(frozen=True)
class OpenThread:
    type: str  # event | worry | promise
    text: str
    date: str | None = None


@dataclass(frozen=True)
class Extraction:
    facts: tuple[Fact, ...] = ()
    open: tuple[OpenThread, ...] = ()
    origin: str = "rules"
    notes: tuple[str, ...] = field(default_factory=tuple)


RELATIONS = ("best friend|sister|brother|mom|mother|dad|father|wife|husband|partner|boyfriend|girlfriend|"
             "son|daughter|friend|boss|roommate|dog|cat|grandma|grandmother|grandpa|grandfather")
KO_RELATIONS = "언니|누나|오빠|형|동생|엄마|아빠|남편|아내|남자친구|여자친구|친구|상사|강아지|고양이|할머니|할아버지"
_END = r"([^.,!?;\n]{2,60})"
_KO_COPULA = r"(?:이야|야|이에요|예요|입니다|이고|고)"

EN_FACTS = [
    (re.compile(r"\bmy name is ([A-Z][\w-]+)", re.IGNORECASE), "person",
     lambda m: ("name", m[1], f"Their name is {m[1]}.")),
    (re.compile(rf"\b[Mm]y ({RELATIONS})(?:'s name)? is (?:called |named )?([A-Z][\w-]+)"), "person",
     lambda m: (f"{m[1]}'s name", m[2], f"Their {m[1]} is called {m[2]}.")),
    (re.compile(rf"\bI live in {_END}", re.IGNORECASE), "other", lambda m: ("home", m[1], f"They live in {m[1]}.")),
    (re.compile(rf"\bI (?:work|am working|'m working) (?:as|at|for) {_END}", re.IGNORECASE), "other",
     lambda m: ("work", m[1], f"They work as/at {m[1]}.")),
    (re.compile(rf"\bmy favou?rite (\w+(?: \w+)?) is {_END}", re.IGNORECASE), "preference",
     lambda m: (f"favourite {m[1].lower()}", m[2], f"Their favourite {m[1].lower()} is {m[2]}.")),
    (re.compile(rf"\bI (?:really |just )?(love|like|enjoy|adore|hate|dislike|can't stand|don't like) {_END}",
                re.IGNORECASE),
     "preference", lambda m: (f"taste: {m[2].lower()}", _polarity(m[1]), f"They {m[1].lower()} {m[2]}.")),
    (re.compile(rf"\bI (?:want to|wanna|hope to|plan to|am planning to|'m planning to|am trying to|'m trying to|"
                rf"my goal is to) {_END}", re.IGNORECASE), "goal",
     lambda m: (f"goal: {m[1].lower()[:40]}", m[1], f"They want to {m[1]}.")),
]

KO_FACTS = [
    (re.compile(rf"내 이름은 (\S+?){_KO_COPULA}"), "person", lambda m: ("name", m[1], f"이름은 {m[1]}.")),
    (re.compile(rf"(?:내|우리) ({KO_RELATIONS})(?: 이름)?(?:은|는) (\S+?){_KO_COPULA}"), "person",
     lambda m: (f"{m[1]} 이름", m[2], f"{m[1]} 이름은 {m[2]}.")),
    (re.compile(r"(\S+?)에 살아"), "other", lambda m: ("home", m[1], f"{m[1]}에 산다.")),
    (re.compile(r"(\S+?)(?:에서) 일해"), "other", lambda m: ("work", m[1], f"{m[1]}에서 일한다.")),
    (re.compile(r"(\S+?)(?:을|를|이|가)? (?:정말 |너무 |진짜 |제일 )?(좋아해|좋아|싫어해|싫어)"), "preference",
     lambda m: (f"taste: {m[1]}", "likes" if "좋" in m[2] else "dislikes", m.string)),
    (re.compile(r"(\S+(?: \S+)?) (?:하고 싶어|할 거야|해 보고 싶어|하려고 해)"), "goal",
     lambda m: (f"goal: {m[1]}", m[1], f"목표: {m[1]}")),
]

WORRY = re.compile(r"\b(worried|anxious|nervous|scared|afraid|stressed|freaking out)\b|걱정|불안|긴장|무서워",
                   re.IGNORECASE)
PROMISE = re.compile(r"\bI promise\b|\bI'll make sure\b|약속", re.IGNORECASE)
EVENT = re.compile(r"\b(have|having|got|is|'s|am|'m|going|there's|will|'ll)\b|있어|있어요|예정|가|해|할", re.IGNORECASE)


_FILLER = re.compile(r"\s+(actually|anymore|any more|too|so much|a lot|very much|now|though|lately|these days)$",
                     re.IGNORECASE)


def _clean(value: str) -> str:
    """"pottery actually" and "pottery" are the same topic."""
    value = value.strip()
    while _FILLER.search(value):
        value = _FILLER.sub("", value).strip()
    return value


def _polarity(verb: str) -> str:
    return "dislikes" if verb.lower() in {"hate", "dislike", "can't stand", "don't like"} else "likes"


def sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?。])\s+|\n+", text) if s.strip()]


def extract_by_rules(text: str, today: date) -> Extraction:
    facts: list[Fact] = []
    threads: list[OpenThread] = []
    for sentence in sentences(text):
        korean = bool(re.search(r"[\uac00-\ud7a3]", sentence))
        for pattern, category, build in KO_FACTS if korean else EN_FACTS:
            for match in pattern.finditer(sentence):
                topic, value, said = build(match)
                facts.append(Fact(_clean(topic), _clean(value), category, said,
                                  importance=0.7 if category in {"person", "goal"} else 0.5))
        span = find_span(sentence, today)
        start = span.start if span is not None and span.start >= today else None  # today or later
        when = start.isoformat() if start is not None else None
        if WORRY.search(sentence):
            threads.append(OpenThread("worry", sentence, when))
        elif PROMISE.search(sentence):
            threads.append(OpenThread("promise", sentence, when))
        elif start is not None and start > today and EVENT.search(sentence):
            threads.append(OpenThread("event", sentence, start.isoformat()))
    return Extraction(tuple(facts), tuple(threads), "rules")
