"""The first words of a Korean reply, named from the reading, for the model to go on from.

Why: the embedded 1.5B model misreads most Korean messages (docs/replies.md, "Why Korean stays
behind": asked to restate eight Korean messages it got three right), so left alone it answers a
death with "안전한 거 같아". Kindred's own readers do understand them: the native Korean emotion
reader (issue #25) and the chooser's situation. So when both agree on what the person feels, the
reply starts by naming that feeling in natural 반말 or 존댓말 ("마음이 많이 아프겠다."), and the
model continues from there (llama.cpp: the words are part of its reply; a backend that cannot
continue a reply gets no opening). The feeling comes first, as a friend's does; what follows is the
model's, under the same guard.

Which feeling: the native reader is right about the sign of a Korean message's feeling (0.90 of
KOTE's clear cases) but not about which negative feeling it is (online comments taught it 불평/짜증
for almost anything: a pet's death read as 안타까움 and 화남, a day of lifting boxes as 짜증). So a
specific feeling is named only when the person's own words say it (the chooser's cues: a loss,
exhaustion, loneliness, worry, anger, good news); otherwise the opening says only what the sign
allows ("많이 힘들었겠다.", "우와, 진짜 잘됐다!"). Only when the plan reflects a feeling or affirms
(as its lead, or second after a question: her first sentence is never the question), and only
when the reading's sign is sure: a wrong feeling named with confidence ("화날 만하다" to a loss) is
worse than the model's vagueness, so anything unsure gets no opening.

One question is answered the same way: "뭐해?" (what are you doing), the commonest first words to a
companion in Korean. Left to itself the model answered it "당신이 말하는 것은 무엇인가를 듣고 있는지
이해하지 못해…"; she has no day of her own to tell, so her honest answer opens the reply ("나야 늘
여기서 네 얘기 기다리고 있었지.") and the model goes on, usually with the question back.
"""
from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from ..affect.cues import read_cues
from .reply_guard import ReplyRules, runs_of

# feeling → (반말 variants, 존댓말 variants). Short, no question (the guard wants the first sentence
# to be the feeling), nothing that assumes what happened beyond the feeling itself.
OPENINGS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "grief": (("마음이 많이 아프겠다.", "아이고, 얼마나 슬플까.", "너무 슬프겠다."),
              ("마음이 많이 아프시겠어요.", "정말 많이 슬프시죠.", "너무 슬프시겠어요.")),
    "exhaustion": (("많이 지쳤겠다.", "진짜 고생 많았다.", "오늘 몸이 고됐겠다."),
                   ("많이 지치셨겠어요.", "정말 고생 많으셨어요.", "오늘 몸이 고되셨겠어요.")),
    "loneliness": (("많이 외로웠겠다.", "마음이 많이 허전하겠다.", "그럴 때 진짜 쓸쓸하지."),
                   ("많이 외로우셨겠어요.", "마음이 많이 허전하시겠어요.", "그럴 때 정말 쓸쓸하죠.")),
    "anger": (("진짜 화날 만하다.", "나라도 엄청 속상했겠다.", "그건 진짜 억울하겠다."),
              ("정말 화나실 만해요.", "저라도 많이 속상했을 거예요.", "그건 정말 억울하시겠어요.")),
    "anxiety": (("많이 긴장되겠다.", "걱정되는 게 당연해.", "마음이 많이 불안하겠다."),
                ("많이 긴장되시겠어요.", "많이 걱정되시겠어요.", "마음이 많이 불안하시겠어요.")),
    "good_news": (("우와, 진짜 잘됐다!", "와, 정말 기쁘겠다!", "대박, 진짜 축하해!"),
                  ("우와, 정말 잘됐어요!", "와, 정말 기쁘시겠어요!", "정말 축하드려요!")),
    # Only the sign is known: words that fit any hard feeling, or any good one.
    "hard": (("많이 힘들었겠다.", "그랬구나, 많이 힘들지.", "아이고, 속상했겠다."),
             ("많이 힘드셨겠어요.", "그러셨군요, 많이 힘드시죠.", "아이고, 속상하셨겠어요.")),
    "bright": (("우와, 진짜 잘됐다!", "와, 기분 좋겠다!", "오, 진짜 좋다!"),
               ("우와, 정말 잘됐어요!", "와, 기분 좋으시겠어요!", "정말 좋네요!")),
}
# "What are you doing / what did you do?" put to her. Her own answer: she has no day apart from the
# person (the persona's honesty), said warmly; the model adds the question back.
HER_DAY: tuple[tuple[str, ...], tuple[str, ...]] = (
    ("나야 늘 여기서 네 얘기 기다리고 있었지. 너는 뭐 하고 있었어?",
     "난 그냥 여기 있었어, 너 기다리면서. 너는 오늘 어땠어?",
     "나는 너랑 얘기할 준비 하고 있었지. 너는 지금 뭐 해?"),
    ("저는 여기서 이야기 기다리고 있었어요. 지금 뭐 하고 계셨어요?",
     "저야 늘 여기 있죠, 말 걸어 주시길 기다리면서. 오늘은 어떠셨어요?",
     "저는 이야기 나눌 준비 하고 있었어요. 지금은 뭐 하세요?"))
# Her answer is whole, with the question put back: left to go on after "난 여기 있었어", the model made up
# a state she does not have or drifted off the person.
# The whole message is the question, give or take who, when and a laugh: "지금 뭐해?", "너 오늘 뭐했어?",
# "뭐 하고 계세요?". Anything longer ("주말에 뭐 해야 할지 모르겠어") is about them, not her.
_ASKS_HER_DAY = re.compile(
    r"^(?:(?:너|넌|너는|혹시|지금|오늘|요즘|이제|아까|방금|그럼|근데|야|자기|자기야)\s*)*"
    r"뭐\s*(?:해|하니|하냐|해요|하세요|했어|했니|했어요|하셨어요|하고\s*(?:있어|있었어|있니|있어요|계세요|계셨어요)|"
    r"하는\s*중(?:이야|이에요)?)"
    r"[\s?？!.~ㅎㅋㅇ]*$")


def asks_her_day(text: str) -> bool:
    """The message only asks what she is doing or did ("뭐해?", "지금 뭐 하고 있어?")."""
    return bool(_ASKS_HER_DAY.match(text.strip()))


# The chooser's situation is named only when this cue shows it in their own words.
SAID_BY = {"grief": "loss", "exhaustion": "exhausted", "loneliness": "lonely", "anxiety": "worry",
           "anger": "angry_words", "good_news": "good_news"}
NEGATIVE_SITUATIONS = frozenset({"grief", "sadness", "exhaustion", "loneliness", "anxiety", "anger", "masked"})
POSITIVE_SITUATIONS = frozenset({"good_news", "fun"})
LEADS = frozenset({"reflection_of_feelings", "affirmation_and_reassurance"})
KOREAN_AFTER_OPENING = 40  # characters the model may add: one short sentence (a friend's question)
SURE_VALENCE = 0.2  # the reading's valence must be at least this far from zero, on the situation's side
# ...and further when nothing in their words confirms the situation: the sign alone named pride at refusing
# a favour "많이 힘들지" and relief "힘들었겠다" in `kindred bench replies` (docs/replies.md).
SIGN_ONLY_VALENCE = 0.35


def _repeats(opening: str, earlier: Sequence[str]) -> bool:
    """The opening shares a run of ECHO_CHARS letters with one of her earlier replies (the guard's own
    measure of a repeat, so an opening is never what the guard would refuse her to say again)."""
    return bool(ReplyRules(language="ko", earlier_replies=tuple(earlier)).echo_chars & runs_of(opening))


def feeling_to_name(situation: str, valence: float, text: str) -> str:
    """Which set of openings fits: the situation when their words show it, else only the sign's. A
    question put to her ("뭐해?") that names no feeling wants an answer, not a reflection: a reading's
    sign alone is not enough there (short questions often read as mildly negative)."""
    if situation in NEGATIVE_SITUATIONS and valence <= -SURE_VALENCE:
        by_sign = "hard"
    elif situation in POSITIVE_SITUATIONS and valence >= SURE_VALENCE:
        by_sign = "bright"
    else:
        return ""
    if situation in SAID_BY and SAID_BY[situation] in read_cues(text, "ko"):
        return situation
    if text.rstrip().endswith(("?", "？")) or abs(valence) < SIGN_ONLY_VALENCE:
        return ""
    return by_sign


def korean_opening(*, situation: str, strategies: Sequence[str], valence: float, register_ko: str,
                   turn_id: str, text: str, earlier_replies: Sequence[str] = ()) -> str:
    """The opening for this Korean reply to ``text``, or "" when the reading is not sure enough.

    ``valence``: this message's reading (not the smoothed mood: a loss after a good week is still a loss).
    The variant is fixed by the turn (the same turn replays the same words) and never repeats one of
    her earlier replies in this conversation."""
    if asks_her_day(text):
        banmal, jondaetmal = HER_DAY
    else:
        feeling = feeling_to_name(situation, valence, text) if LEADS & set(strategies) else ""
        if not feeling:
            return ""
        banmal, jondaetmal = OPENINGS[feeling]
    variants = jondaetmal if register_ko == "jondaetmal" else banmal
    fresh = [v for v in variants if not _repeats(v, earlier_replies)]
    if not fresh:
        return ""
    start = int(hashlib.sha256(turn_id.encode()).hexdigest(), 16) % len(fresh)
    return fresh[start]
