"""Why a suggestion: from what helped this person before, else from how they seem to feel now."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from ..database.timestamps import parse_utc
from .catalogue import ARM_NAMES
from .context import Situation

_HELPED = {"en": "you said {thing} helped {when}", "ko": "{when} {thing}{particle} 도움이 됐다고 했잖아"}
_TOOK = {"en": "you went for {thing} {when}", "ko": "{when} {thing}{particle} 괜찮았잖아"}
_LIKED = {"en": "you liked {thing} {when}", "ko": "{when} {thing}{particle} 괜찮다고 했잖아"}
_BY_MOOD = {
    "en": {
        "anxious": "slow breathing and small, concrete steps settle a racing mind",
        "sad": "something gentle and kind to yourself can lift a heavy mood a little",
        "angry": "moving or letting it out on paper helps the heat pass",
        "low": "a small change of scene can lift a low mood a little",
        "even": "a small break might feel good right now",
    },
    "ko": {
        "anxious": "마음이 조급할 땐 천천히 숨 쉬고 작은 일부터 하는 게 도움이 돼",
        "sad": "마음이 무거울 땐 나한테 다정한 작은 일이 조금은 힘이 돼",
        "angry": "화가 날 땐 몸을 움직이거나 글로 쏟아내면 열이 좀 가라앉아",
        "low": "기분이 가라앉을 땐 잠깐 환경을 바꾸는 게 도움이 될 수 있어",
        "even": "지금 잠깐 쉬어 가는 것도 좋을 것 같아",
    },
}


def when_phrase(then: datetime, now: datetime, language: str) -> str:
    then_local = then.astimezone(now.tzinfo) if now.tzinfo else then.astimezone().replace(tzinfo=None)
    days = (now.date() - then_local.date()).days
    en, ko = (("today", "오늘"), ("yesterday", "어제"), ("this week", "이번 주에"), ("last week", "지난주에"),
              ("a while ago", "예전에"))[_bucket(days)]
    return ko if language == "ko" else en


def _bucket(days: int) -> int:
    if days <= 0:
        return 0
    if days == 1:
        return 1
    if days < 7:
        return 2
    if days < 14:
        return 3
    return 4


def explain(arm: str, situation: Situation, history: list[dict[str, Any]], now: datetime, language: str) -> str:
    lang = "ko" if language == "ko" else "en"
    thing = ARM_NAMES[lang][arm]
    for row in reversed(history):
        if row["arm"] != arm or row["reward"] is None or row["reward"] < 0.8:
            continue
        template = {"helped": _HELPED, "taken": _TOOK}.get(row["outcome"], _LIKED)
        when = when_phrase(parse_utc(row["offered_at"]), now, lang)
        return template[lang].format(thing=thing, when=when, particle=_subject_particle(thing))
    return _BY_MOOD[lang].get(situation.dominant_mood, _BY_MOOD[lang]["even"])


def _subject_particle(word: str) -> str:
    """이 after a final consonant, 가 after a vowel (Korean subject marker)."""
    last = word[-1]
    if "가" <= last <= "힣":
        return "이" if (ord(last) - 0xAC00) % 28 else "가"
    return "이"
