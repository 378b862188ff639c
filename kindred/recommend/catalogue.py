"""What Kindred can suggest: activities with steps, music, reading.

The bandit chooses an *arm* (a kind of suggestion); the catalogue then picks a
concrete item of that kind. Arms are few and stable, so what is learned about
"a walk" carries over to every walk, and a new song needs no learning of its own.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ARMS = ("walk", "breathing", "journalling", "call_friend", "stretch", "music_calm", "music_upbeat", "reading")
ARM_KIND = {"music_calm": "music", "music_upbeat": "music", "reading": "reading"}  # others: activity
ARM_NAMES = {  # how to speak of an arm in "why" sentences
    "en": {"walk": "walks", "breathing": "the breathing exercise", "journalling": "writing things down",
           "call_friend": "talking to a friend", "stretch": "stretching", "music_calm": "calm music",
           "music_upbeat": "upbeat music", "reading": "reading"},
    "ko": {"walk": "산책", "breathing": "호흡 연습", "journalling": "글로 적어 보는 것",
           "call_friend": "친구랑 이야기하는 것", "stretch": "스트레칭", "music_calm": "잔잔한 음악",
           "music_upbeat": "신나는 음악", "reading": "책 읽기"},
}


@dataclass(frozen=True)
class CatalogueItem:
    id: str
    arm: str
    title: str
    steps: tuple[str, ...] = ()
    title_ko: str = ""
    steps_ko: tuple[str, ...] = ()

    def localized(self, language: str) -> tuple[str, tuple[str, ...]]:
        if language == "ko" and self.title_ko:
            return self.title_ko, self.steps_ko or self.steps
        return self.title, self.steps


ACTIVITIES = (
    CatalogueItem("walk-10", "walk", "A ten-minute walk outside",
                  ("Put on shoes and step out; no destination needed.",
                   "Walk at an easy pace and notice three things you can see.",
                   "Turn back after five minutes."),
                  "밖에서 10분 산책하기",
                  ("신발 신고 그냥 나가 봐. 목적지는 없어도 돼.",
                   "편한 속도로 걸으면서 눈에 보이는 것 세 가지를 찾아봐.",
                   "5분 걸으면 돌아오면 돼.")),
    CatalogueItem("breathing-box", "breathing", "Box breathing, two minutes",
                  ("Breathe in through your nose for a count of four.", "Hold for four.",
                   "Breathe out slowly for four.", "Hold for four; repeat about eight times."),
                  "2분 박스 호흡",
                  ("코로 넷을 세며 들이쉬어.", "넷을 세며 멈춰.", "넷을 세며 천천히 내쉬어.",
                   "넷 동안 멈추고, 여덟 번쯤 반복해.")),
    CatalogueItem("breathing-478", "breathing", "4-7-8 breathing",
                  ("Breathe in quietly through your nose for four.", "Hold for seven.",
                   "Breathe out through your mouth for eight.", "Do four rounds."),
                  "4-7-8 호흡",
                  ("코로 조용히 넷 동안 들이쉬어.", "일곱 동안 멈춰.", "입으로 여덟 동안 내쉬어.", "네 번 반복해.")),
    CatalogueItem("journal-3", "journalling", "Five minutes of writing it down",
                  ("Write what happened, plainly, as if to a friend.", "Write how it made you feel.",
                   "End with one thing you need right now."),
                  "5분 동안 적어 보기",
                  ("있었던 일을 친구에게 말하듯 그대로 적어 봐.", "그래서 어떤 기분이었는지 적어 봐.",
                   "지금 나한테 필요한 것 하나로 마무리해.")),
    CatalogueItem("stretch-5", "stretch", "A five-minute stretch",
                  ("Roll your shoulders back slowly, five times.", "Tilt your head gently side to side.",
                   "Stand, reach up, then fold forward and let your arms hang."),
                  "5분 스트레칭",
                  ("어깨를 천천히 뒤로 다섯 번 돌려.", "고개를 양옆으로 살짝 기울여.",
                   "일어나서 팔을 쭉 뻗고, 앞으로 숙여서 팔을 늘어뜨려.")),
)

BUILT_IN_MUSIC = (
    CatalogueItem("music-clair-de-lune", "music_calm", "Debussy — Clair de lune"),
    CatalogueItem("music-gymnopedie", "music_calm", "Satie — Gymnopédie No. 1"),
    CatalogueItem("music-air", "music_calm", "Bach — Air on the G String"),
    CatalogueItem("music-here-comes-the-sun", "music_upbeat", "The Beatles — Here Comes the Sun"),
    CatalogueItem("music-september", "music_upbeat", "Earth, Wind & Fire — September"),
    CatalogueItem("music-dynamite", "music_upbeat", "BTS — Dynamite"),
)

READING = (
    CatalogueItem("read-wild-geese", "reading", "Mary Oliver, \"Wild Geese\" (a short poem)",
                  ("Read it slowly, once, out loud if you can.",), "메리 올리버, 「기러기」 (짧은 시)",
                  ("천천히 한 번, 할 수 있으면 소리 내서 읽어 봐.",)),
    CatalogueItem("read-seosi", "reading", "Yun Dong-ju, \"Prologue\" (서시)",
                  ("Read it slowly, twice.",), "윤동주, 「서시」", ("천천히 두 번 읽어 봐.",)),
    CatalogueItem("read-chapter", "reading", "One chapter of a book you already love",
                  ("Pick the book you would reread.", "Read just one chapter, somewhere comfortable."),
                  "좋아하는 책 한 챕터", ("다시 읽고 싶은 책을 골라.", "편한 곳에서 딱 한 챕터만 읽어 봐.")),
)


def friend_items(friends: Sequence[str]) -> tuple[CatalogueItem, ...]:
    """One "call a friend" item per friend the user has mentioned (names come from memory)."""
    return tuple(CatalogueItem(
        f"call-{name.lower()}", "call_friend", f"Call or message {name}",
        (f"Send {name} a short message: \"Got a minute to talk?\"", "Say plainly how your day went.",
         "You don't have to solve anything; just be heard."),
        f"{name}에게 연락해 보기",
        (f"{name}에게 \"잠깐 통화할 수 있어?\" 하고 짧게 보내 봐.", "오늘 어땠는지 있는 그대로 말해 봐.",
         "해결 안 해도 돼. 들어주는 사람이 있는 것만으로 충분해.")) for name in friends if name.strip())


def items_for(arm: str, *, friends: Sequence[str] = (), music_dir: Path | None = None) -> tuple[CatalogueItem, ...]:
    if arm == "call_friend":
        return friend_items(friends)
    if arm in {"music_calm", "music_upbeat"}:
        if music_dir is not None:
            from .music import library_items

            own = tuple(item for item in library_items(music_dir) if item.arm == arm)
            if own:
                return own
        return tuple(item for item in BUILT_IN_MUSIC if item.arm == arm)
    if arm == "reading":
        return READING
    return tuple(item for item in ACTIVITIES if item.arm == arm)


def available_arms(*, friends: Sequence[str] = (), night: bool = False) -> tuple[str, ...]:
    """Arms with something to offer now: no friend to call without a name, no walk in the small hours."""
    return tuple(arm for arm in ARMS
                 if not (arm == "call_friend" and not any(f.strip() for f in friends))
                 and not (arm in {"walk", "call_friend"} and night))
