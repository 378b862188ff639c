"""Keep only what the person said: an extracted fact must be supported by the words of their message.

A small model asked for "facts about the person" fills the schema with what sounds likely
("taste: coffee", "party tomorrow at 9am") as readily as with what was said. So every fact and
open thread the LLM returns is checked against the message before it is kept:

- its content words (the value's; the topic's when the value is only a polarity like "likes")
  must be in the message, with at most one in three missing (a model paraphrases: "upcoming");
  words match after light normalisation — English inflections ("interviews", "worked"), Korean
  particles and endings ("면접이", "좋아해" / "좋아함");
- every number it claims (a time, a count) must be in the message, exactly;
- a relation named in the topic ("sister's name") must be named in the message;
- a date it claims must be one the message names, written out or as a relative word ("tomorrow",
  "다음 주 금요일") resolved against the person's today; an unsupported date is dropped, the
  fact kept when its content holds.

What fails is dropped with a log line: a missed fact costs little (the raw turn stays searchable),
a remembered invention is said back to the person as if they had told it.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace
from datetime import date

from .dates import find_span
from .rules import KO_RELATIONS, RELATIONS, Extraction, Fact, OpenThread, sentences
from .terms import STOPWORDS, stem

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"\d+|[a-z]+(?:'[a-z]+)?|[\uac00-\ud7a3]+", re.IGNORECASE)
_HANGUL = re.compile(r"^[\uac00-\ud7a3]+$")

# Words a model frames a fact with, not part of what was said.
FRAMING = frozenset([
    "person", "user", "someone", "they", "wants", "want", "wanted", "plans", "plan", "planning", "likes",
    "dislikes", "like", "dislike", "loves", "hates", "enjoys", "mentioned", "said", "says", "told", "upcoming",
    "name", "named", "called", "taste", "goal", "favourite", "favorite", "preference", "event", "worry",
    "promise", "fact", "about", "going", "will", "has", "have", "is", "are", "am", "pm", "o'clock", "be", "yes",
    "true",
    "사용자", "그", "그녀", "예정", "있음", "있다", "함", "좋아함", "싫어함", "좋아한다", "싫어한다", "이름",
    "목표", "취향", "걱정", "약속",
])
POLARITY = frozenset(["likes", "dislikes", "like", "dislike", "loves", "hates", "love", "hate", "enjoys", "yes",
                      "true", "좋아함", "싫어함", "좋아해", "싫어해", "좋아", "싫어", "좋아한다", "싫어한다"])
# A polarity ("likes") is an attitude, and only the person can state it: "My friend says coffee helps"
# has their word "coffee" but no taste of theirs. These are the words (stems, Korean stems) that state one.
ATTITUDE_EN = frozenset([
    "like", "lik", "love", "lov", "enjoy", "adore", "hate", "hat", "dislike", "dislik", "prefer", "preferr",
    "favourite", "favorite", "fan", "stand", "detest", "fond",
    # what they call it: "parties are exhausting", "the best kimchi"
    "best", "worst", "fun", "boring", "annoying", "awful", "terrible", "great", "amazing", "exhaust", "delicious",
    "tasty", "gross",
])
ATTITUDE_KO = ("좋아", "좋은", "좋다", "싫", "사랑", "최고", "최악", "제일", "별로", "맛있", "맛없", "즐겨", "재밌",
               "재미있", "재미없", "지루", "짜증")
# Words that say when, not what: a value made only of these ("Sunday", "every morning", "내일") says
# nothing on its own, so its topic must be the person's words too ("schedule: Sunday" from "I play
# tennis every Sunday" is not what they said).
WHEN = frozenset([
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mondays", "tuesdays",
    "wednesdays", "thursdays", "fridays", "saturdays", "sundays", "january", "february", "march", "april", "june",
    "july", "august", "september", "october", "november", "december", "today", "tonight", "tomorrow",
    "yesterday", "weekend", "weekends", "week", "weeks", "month", "months", "year", "years", "next", "last",
    "every", "each", "daily", "weekly", "morning", "mornings", "evening", "evenings", "night", "nights",
    "afternoon", "soon", "later", "time", "date", "day", "days",
    "월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일", "오늘", "내일", "모레", "어제", "주말",
    "다음", "지난", "이번", "매주", "매일", "주", "달", "년", "아침", "저녁", "밤", "오후", "오전", "나중",
])
# What someone else says ("My friend says coffee helps", "친구가 그러는데 … 된대") is their claim, not the
# person's: the words after such a marker, to the end of the clause, support only a fact about that
# someone ("friend"); a Korean sentence ending in the quoting -대/-래 is reported whole.
_HEARSAY = re.compile(r"\b(?:says|said|told me|tells me|thinks|according to)\b|그러는데|그러던데|그랬는데|말로는|"
                      r"라고 (?:했|하더|하던)", re.IGNORECASE)
_KO_REPORTED = re.compile(r"[\uac00-\ud7a3][대래](?:요)?[.!?]*$")
_RELATION = re.compile(rf"\b({RELATIONS})\b|({KO_RELATIONS})", re.IGNORECASE)
# Korean endings stripped before matching, longest first: particles, and the verb endings a
# model and a person pick differently for the same word ("좋아함" / "좋아해", "걱정됨" / "걱정돼").
_KO_ENDINGS = sorted([
    "은", "는", "이", "가", "을", "를", "에", "에서", "에게", "의", "도", "와", "과", "랑", "이랑", "한테", "로",
    "으로", "까지", "부터", "만", "이야", "야", "이에요", "예요", "입니다", "이다", "요", "함", "해", "한다",
    "했어", "했다", "할", "하는", "하고", "돼", "됨", "된다", "임", "다", "어", "아",
], key=len, reverse=True)


@dataclass(frozen=True)
class Message:
    """The person's words, normalised once and asked about many claims."""

    english: frozenset[str]  # stems
    korean: str  # Hangul with spaces removed: a claimed noun may sit inside a compound or before a particle
    numbers: frozenset[str]
    text: str
    today: date

    @classmethod
    def of(cls, text: str, today: date) -> Message:
        tokens = [t.lower() for t in _TOKEN.findall(text)]
        return cls(frozenset(stem(t) for t in tokens if not t.isdigit() and not _HANGUL.match(t)),
                   "".join(t for t in tokens if _HANGUL.match(t)),
                   frozenset(t.lstrip("0") or "0" for t in tokens if t.isdigit()), text.lower(), today)

    def has_word(self, word: str) -> bool:
        if _HANGUL.match(word):
            base = _korean_base(word)
            return base in self.korean or (len(base) >= 3 and base[:-1] in self.korean)
        wanted = stem(word)
        return wanted in self.english or any(_same_root(wanted, said) for said in self.english)

    def has_date(self, day: str) -> bool:
        span = find_span(self.text, self.today)
        if span is not None and span.contains(date.fromisoformat(day)):
            return True
        return day in self.text  # written as an ISO date


def own_words(text: str) -> str:
    """The sentences of ``text`` that are the person's own, not what they report someone else saying."""
    kept = []
    for sentence in sentences(text):
        for clause in re.split(r"[;:]", sentence):
            clause = clause.strip()
            if _KO_REPORTED.search(clause):
                continue
            marker = _HEARSAY.search(clause)
            kept.append(clause[:marker.start()] if marker else clause)
    return " ".join(kept)


def _korean_base(word: str) -> str:
    for ending in _KO_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:  # "바다" stays, "커피를" → "커피"
            return word[: -len(ending)]
    return word


def _same_root(a: str, b: str) -> bool:
    """"marri" (married) and "marry", "interview" and "interviewer": a shared start of most of the shorter."""
    shorter = min(len(a), len(b))
    if shorter < 4:
        return False
    common = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        common += 1
    return common >= 4 and common >= 0.75 * shorter


def content_words(claim: str) -> list[str]:
    words = [t.lower() for t in _TOKEN.findall(claim)]
    return [w for w in words if not w.isdigit() and w not in STOPWORDS and w not in FRAMING
            and _korean_base(w) not in FRAMING and (len(w) >= 2 or _HANGUL.match(w))]


def numbers_in(claim: str) -> list[str]:
    return [t.lstrip("0") or "0" for t in re.findall(r"\d+", claim)]


def supported(claim: str, message: Message) -> bool:
    """Is what ``claim`` says in the message? (content words, at most one in three missing; numbers exact)"""
    if any(n not in message.numbers for n in numbers_in(claim)):
        return False
    words = list(dict.fromkeys(content_words(claim)))
    if not words:
        return bool(numbers_in(claim))  # "9 o'clock" stands on its number; nothing to check is nothing grounded
    missing = sum(not message.has_word(w) for w in words)
    return missing <= len(words) // 3


def is_polarity(value: str) -> bool:
    value = value.strip().lower()
    return value in POLARITY or not content_words(value) and not numbers_in(value)


def only_when(value: str) -> bool:
    """"Sunday", "every morning", "9 pm", "내일": a value that says when something is, not what."""
    words = content_words(value)
    return all(w in WHEN or _korean_base(w) in WHEN for w in words) and bool(words or numbers_in(value))


def fact_claim(fact: Fact) -> str:
    """What a fact asserts: its value, or its topic when the value is only a polarity ("taste: coffee" / likes)."""
    return fact.topic if is_polarity(fact.value) else fact.value


def _what(topic: str) -> str:
    return " ".join(w for w in content_words(topic) if w not in WHEN and _korean_base(w) not in WHEN)


def states_an_attitude(message: Message) -> bool:
    return bool(ATTITUDE_EN & message.english) or any(word in message.korean for word in ATTITUDE_KO)


def fact_is_supported(fact: Fact, message: Message) -> bool:
    relation = _RELATION.search(fact.topic)
    if relation and not message.has_word(relation.group(0).lower()):
        return False  # "sister's name: Mina" when the person said "my friend Mina"
    if is_polarity(fact.value) and not states_an_attitude(message):  # "likes", "좋아함", or "不喜欢" alike
        return False  # "taste: coffee" / likes when only their friend said coffee helps
    if only_when(fact.value):
        # "tennis: every Sunday" says what through its topic: that must be theirs as well as the day.
        what = _what(fact.topic)
        return bool(what) and supported(what, message) and supported(fact.value, message)
    return supported(fact_claim(fact), message)


@dataclass(frozen=True)
class Grounded:
    extraction: Extraction
    dropped: tuple[str, ...]  # what was left out and why, for the log and the bench


def ground(found: Extraction, text: str, today: date) -> Grounded:
    """Only the facts and threads of ``found`` that the person's ``text`` supports; dates it does not name cleared."""
    message, own = Message.of(text, today), Message.of(own_words(text), today)
    dropped: list[str] = []
    facts: list[Fact] = []
    for fact in found.facts:
        # A fact about someone they name may rest on what that someone said; anything else on their own words.
        about_someone = _RELATION.search(fact.topic) is not None
        if not fact_is_supported(fact, message if about_someone else own):
            dropped.append(f"fact {fact.topic!r}: {fact.value!r} not in their words")
            continue
        if fact.date and not message.has_date(fact.date):
            dropped.append(f"date {fact.date} of {fact.topic!r} not in their words")
            fact = replace(fact, date=None)
        facts.append(fact)
    threads: list[OpenThread] = []
    for thread in found.open:
        if not supported(thread.text, own):
            dropped.append(f"{thread.type} {thread.text!r} not in their words")
            continue
        if thread.date and not message.has_date(thread.date):
            dropped.append(f"date {thread.date} of {thread.type} {thread.text[:40]!r} not in their words")
            thread = replace(thread, date=None)
        threads.append(thread)
    for line in dropped:
        log.info("memory extraction: dropped %s", line)
    return Grounded(replace(found, facts=tuple(facts), open=tuple(threads)), tuple(dropped))
