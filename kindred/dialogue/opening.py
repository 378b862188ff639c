"""Her first words, chosen by Kindred's own readers, for the model to go on from (or, with a fitting
question after them, her whole reply).

Why: the embedded 1.5B model misreads what happened far more often than Kindred's readers do. In
Korean it misreads most messages (docs/replies.md, "Why Korean stays behind"): "오늘 회사에서
잘렸어" (I was fired today) got "사람들은 회사를 잘하는 것에 대해 걱정하지 않아…"; in English it reads
the words but not always the event: "I got the promotion!" got "What do you miss the most about your
old job?". The person's own words are the surest reading there is: a death, someone in hospital, a
job lost, a baby born. So:

- **Words first.** When the message says what happened or how they feel (the cues of
  :mod:`kindred.affect.cues`: a loss, someone far away, someone ill, regret, a setback, anger,
  exhaustion, loneliness, nerves, boredom, good news), the reply starts by naming that feeling ("Oh no,
  I'm so sorry.", "마음이 많이 아프겠다."), unless the emotion reading says clearly the opposite (a loss
  told with a laugh about the funeral's food is not for "heartbreaking").
- **Else the sign, in Korean only.** The native Korean reader is right about the sign of a feeling
  (0.90 of KOTE's clear cases) but not about which one, so with no words to go on only the sign is
  said ("많이 힘들었겠다.") and only when the plan reflects a feeling and the reading is sure. English
  has no sign-only opening: there the model reads the feeling well enough itself.
- **Then one question that fits, when the plan asks one** and the person asked nothing themselves:
  a friend's question for that feeling ("How are you holding up?", "어쩌다 그렇게 된 거야?"). The
  opening and the question together are her whole reply (the turn says it without the model: what
  the model added after them was a second question or a misreading). When the plan does not ask, or
  the person asked something, the model goes on from the opening under the same guard.
- **"What are you doing?"** put to her is answered by her honest answer with the question put back
  ("Just here, hoping you'd stop by. How's your day going?", "나야 늘 여기서 네 얘기 기다리고
  있었지…"): she has no day of her own, and the model made one up.

The words are in ``data/openings.json``: three variants of each, in English, 반말 and 존댓말; the
turn picks one by its id (a replayed turn says the same) and never one that repeats her earlier
replies in the conversation (the guard's own measure), so a long sad conversation moves on to the
model's words rather than saying the same thing twice.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from functools import cache
from importlib.resources import files

from ..affect.cues import read_cues
from .reply_guard import ReplyRules, runs_of

# (cue in their words, feeling named), surest first: a death said beside a worry is a loss.
WORDS_SHOW: tuple[tuple[str, str], ...] = (
    ("loss", "grief"), ("apart", "missing"), ("someone_ill", "worry_for"), ("regret", "regret"),
    ("setback", "setback"), ("angry_words", "anger"),
    ("exhausted", "exhaustion"), ("lonely", "loneliness"),
    # Good news before nerves: "프러포즈 받았어..! 아직도 손 떨려" trembles with joy.
    ("good_news", "good_news"), ("worry", "anxiety"), ("bored", "boredom"))
GLAD_FEELINGS = frozenset({"good_news"})
# The reading must not say the clear opposite of what the words name (|valence| at least this).
OPPOSITE_VALENCE = 0.35
# Words that show a feeling only sometimes ("finally home after a terrible day", "what if we order pizza"):
# named only when the reading agrees (SURE_VALENCE on the feeling's side).
_WEAK_WORDS = re.compile(r"\bfinally\b|\bguess what\b|드디어|대박|\bwhat if\b|\balone\b|\bnobody\b|혼자", re.IGNORECASE)
NEGATIVE_SITUATIONS = frozenset({"grief", "sadness", "exhaustion", "loneliness", "anxiety", "anger", "masked"})
POSITIVE_SITUATIONS = frozenset({"good_news", "fun"})
LEADS = frozenset({"reflection_of_feelings", "affirmation_and_reassurance"})
SURE_VALENCE = 0.2  # a sign-only Korean opening: the reading's valence at least this far from zero...
# ...and further when nothing in their words confirms the situation: the sign alone named pride at refusing
# a favour "많이 힘들지" and relief "힘들었겠다" in `kindred bench replies` (docs/replies.md).
SIGN_ONLY_VALENCE = 0.35
# What the model may add after an opening it goes on from: one short sentence (Korean characters,
# English words: the guard's own length units).
AFTER_OPENING = {"ko": 40, "en": 20}

# "What are you doing / what did you do?" as the whole message, give or take who, when and a laugh.
# Anything longer ("주말에 뭐 해야 할지 모르겠어", "what are you doing this weekend with your sister") is
# about them, or about plans, not her.
_ASKS_HER_DAY = {
    "ko": re.compile(
        r"^(?:(?:너|넌|너는|혹시|지금|오늘|요즘|이제|아까|방금|그럼|근데|야|자기|자기야)\s*)*"
        r"뭐\s*(?:해|하니|하냐|해요|하세요|했어|했니|했어요|하셨어요|하고\s*(?:있어|있었어|있니|있어요|계세요|계셨어요)|"
        r"하는\s*중(?:이야|이에요)?)"
        r"[\s?？!.~ㅎㅋㅇ]*$"),
    "en": re.compile(
        r"^(?:(?:hey|hi|so|and|ok|okay)[\s,]+)*(?:what\s+(?:are|r)\s+(?:you|u)\s+(?:up\s+to|doing)(?:\s+(?:now|today|"
        r"right\s+now|tonight))?|what\s+(?:have|did)\s+you\s+(?:been\s+up\s+to|do\s+today|been\s+doing)|"
        r"whatcha\s+doing|wyd)[\s?!.]*$", re.IGNORECASE),
}
# A Korean question often has no "?": a question word and a questioning ending ("점심 뭐 먹지").
_KO_QUESTION = re.compile(r"(뭐|뭘|무슨|무엇|어디|언제|누구|누가|어떻게|어떡|왜|몇|얼마|어느)\S*.*"
                          r"(지|까|냐|니|나|래|대|죠|요)[\s~.!ㅋㅎ]*$")


@cache
def _bank() -> dict:
    return json.loads(files("kindred.dialogue").joinpath("data/openings.json").read_text(encoding="utf-8"))


def phrases(language: str, register_ko: str = "banmal") -> dict[str, dict[str, list[str]]]:
    """feeling → {"open": [...], "ask": [...]} in this language and speech level (English has one)."""
    if language == "ko":
        return _bank()["ko"]["jondaetmal" if register_ko == "jondaetmal" else "banmal"]
    return _bank()["en"]["plain"] if language == "en" else {}


def asks_her_day(text: str, language: str = "ko") -> bool:
    """The message only asks what she is doing or did ("뭐해?", "what are you up to?")."""
    pattern = _ASKS_HER_DAY.get(language)
    return bool(pattern and pattern.match(text.strip()))


def asks_something(text: str, language: str) -> bool:
    """They asked a question or for advice: her answer is the model's to give, not a question back."""
    said = text.strip()
    if said.endswith(("?", "？")) or (language == "ko" and _KO_QUESTION.search(said)):
        return True
    return bool({"asks_advice", "asks_info"} & read_cues(said, language).found)


def feeling_in_words(text: str, language: str, valence: float) -> str:
    """The feeling their own words show, unless the reading clearly says the opposite; else ""."""
    found = read_cues(text, language).found
    strong = read_cues(_WEAK_WORDS.sub(" ", text), language).found
    for cue, feeling in WORDS_SHOW:
        if cue not in found:
            continue
        glad = feeling in GLAD_FEELINGS
        if (valence <= -OPPOSITE_VALENCE) if glad else (valence >= OPPOSITE_VALENCE):
            return ""  # the words and the reading disagree: say nothing rather than the wrong thing
        if cue not in strong and ((valence < SURE_VALENCE) if glad else (valence > -SURE_VALENCE)):
            continue  # only a weak word shows it, and the reading does not confirm it
        if glad and {"setback", "loss"} & found:
            return ""  # "합격 못 했어", "finally got the results: I failed"
        return feeling
    return ""


def feeling_by_sign(situation: str, valence: float, text: str) -> str:
    """Korean, nothing in the words: "hard" or "bright" when the chooser's situation and a sure reading agree."""
    if situation in NEGATIVE_SITUATIONS and valence <= -SURE_VALENCE:
        by_sign = "hard"
    elif situation in POSITIVE_SITUATIONS and valence >= SURE_VALENCE:
        by_sign = "bright"
    else:
        return ""
    if asks_something(text, "ko") or abs(valence) < SIGN_ONLY_VALENCE:
        return ""  # a question put to her ("너 이름 뭐야?", "점심 뭐 먹지") wants an answer, not pity
    return by_sign


def _repeats(said: str, earlier: Sequence[str], language: str) -> bool:
    """``said`` shares a run of letters with one of her earlier replies (the guard's own measure of a repeat)."""
    return bool(ReplyRules(language=language, earlier_replies=tuple(earlier)).echo_chars & runs_of(said))


def _pick(variants: Sequence[str], turn_id: str, earlier: Sequence[str], language: str, salt: str = "") -> str:
    fresh = [v for v in variants if not _repeats(v, earlier, language)]
    if not fresh:
        return ""
    return fresh[int(hashlib.sha256(f"{turn_id}{salt}".encode()).hexdigest(), 16) % len(fresh)]


def reply_opening(*, language: str, situation: str, strategies: Sequence[str], valence: float, register_ko: str,
                  turn_id: str, text: str, earlier_replies: Sequence[str] = ()) -> str:
    """Her first words for this reply to ``text`` (with a question after them when that makes the whole
    reply), or "" when Kindred's readers are not sure enough and the model answers alone.

    ``valence``: this message's reading (not the smoothed mood: a loss after a good week is still a loss)."""
    bank = phrases(language, register_ko)
    if not bank:
        return ""
    if asks_her_day(text, language):
        return _pick(bank["her_day"]["open"], turn_id, earlier_replies, language)
    feeling = feeling_in_words(text, language, valence)
    said_something = bool({cue for cue, _ in WORDS_SHOW} & read_cues(text, language).found)
    if not feeling and not said_something and language == "ko" and LEADS & set(strategies):
        feeling = feeling_by_sign(situation, valence, text)
    if not feeling:
        return ""
    opening = _pick(bank[feeling]["open"], turn_id, earlier_replies, language)
    if not opening or "question" not in strategies or asks_something(text, language):
        return opening
    question = _pick(bank[feeling]["ask"], turn_id, earlier_replies, language, salt="ask")
    return f"{opening} {question}" if question else opening
