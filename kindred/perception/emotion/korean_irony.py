"""Drawled praise of a deed, read as meant: Korean antiphrasis (반어) in online writing.

"참 잘한다!" said of a mess means "what a mess you made"; in speech the praise word is
drawn out ("자~알 한다"), and online writers spell the drawl out: a tilde inside or right
after the praise word ("잘~ 한다", "대~단하다", "대단~하네") or the vowel written twice
("자알 한다", "대애단하다", "후울륭하다", as in 주우욱 for 죽). Said plainly, the same words
are praise ("참 잘한다 우리 딸").

Why a rule and not a learned feature: KOTE's 5,000 comments hold one praise word with a drawl
inside a clause (its "~" is nearly always the friendly tone mark after an ending, "좋아요~",
whose learned weight is strongly positive), GoEmotions-ko none (it is translated), so no
reader can learn the drawl's meaning from the data Kindred has. What the readers have learned
is the meaning of the opposite words: this step rewrites drawled praise into its negation
before either reader sees the message, so both (the KOTE n-grams and the encoder) read what
the writer meant with weights learned from data:

- 잘 (well) before a deed (하다: 한다, 했다, 하는; 놀다: 논다; 잘들 한다; 잘났다) becomes 못
  ("badly", 잘하다 ↔ 못하다, 잘나다 ↔ 못나다): "참 잘~ 한다" → "참 못 한다".
- 대단하다, 훌륭하다, 장하다 (great, admirable, proud) get the short negation 안:
  "대~단하다" → "안 대단하다".

Left as written, on purpose: a drawl after the ending ("잘했어~", "대단하다~": the friendly tone
mark), drawled 좋다/최고 ("아 좋~다" is contentment, not praise of anyone), 잘 before
anything but a deed ("잘~ 된다", "잘~ 먹었습니다": wishes and thanks), and a drawled degree
adverb alone ("참~ 잘했어요" is also how a teacher praises a child).
"""
from __future__ import annotations

import re
from collections.abc import Callable

_TILDE = "[~∼〜～]+"
_BASE, _VOWELS, _FINALS = 0xAC00, 21, 28
_IEUNG = 11  # ㅇ, the silent initial of an echoed vowel


def _parts(syllable: str) -> tuple[int, int, int]:
    code = ord(syllable) - _BASE
    return code // (_VOWELS * _FINALS), (code // _FINALS) % _VOWELS, code % _FINALS


def _syllable(initial: int, vowel: int, final: int = 0) -> str:
    return chr(_BASE + (initial * _VOWELS + vowel) * _FINALS + final)


def _drawable(syllable: str) -> str:
    """A regex for ``syllable`` as written with or without a drawl: 잘 → 잘 | 자~?알 (and a tilde
    after it); 대 → 대 followed by tildes or its echo 애."""
    initial, vowel, final = _parts(syllable)
    echo = _syllable(_IEUNG, vowel)
    if final:
        split = f"{_syllable(initial, vowel)}(?:{_TILDE}|{echo})*(?:{_TILDE})?{_syllable(_IEUNG, vowel, final)}"
        return f"(?:{re.escape(syllable)}|{split})(?:{_TILDE})?"
    return f"{re.escape(syllable)}(?:{_TILDE}|{echo})*"


def _family(vowels: tuple[int, ...], initial: int, finals: tuple[int, ...]) -> str:
    """The syllables with this initial, one of these vowels and one of these finals."""
    return "[" + "".join(_syllable(initial, v, f) for v in vowels for f in finals) + "]"


# Finals (0: none, 4: ㄴ, 8: ㄹ, 16: ㅁ, 17: ㅂ, 19: ㅅ, 20: ㅆ) of the verb forms meant, so that
# other words that start alike stay out (학교, 놓다, 나오다: "사진 자알 나왔네" is a compliment).
_HA = _family((0, 1), 18, (0, 4, 8, 16, 17, 19, 20))  # ㅎ + ㅏ/ㅐ: 하다 (한다, 할, 합니다, 했다, 해)
_NA = _family((0,), 2, (4, 20))  # 잘나다 as said of a person: 잘난, 잘났다
_NO = _family((8,), 2, (0, 4, 8))  # 놀다: 잘 논다, 잘들 노네, 잘 놀았다 ("what fine fun you are having")
_DEUL = "들"  # 잘들 한다: the plural of the people praised
# A praise word starts a word (after a space or punctuation) or follows a degree adverb written
# onto it ("참잘~한다"): never the inside of another word ("시장~ 한 바퀴").
_START = "(?:(?<![가-힣])|(?<=참)|(?<=아주)|(?<=정말)|(?<=진짜)|(?<=너무)|(?<=차암))"
# (stem, the gap allowed before the deed, the deed that must follow, the negation written for it).
# 잘 is an adverb ("잘 한다" is often spaced); 대단하다, 훌륭하다, 장하다 are one word each, so a
# space after the stem starts something else ("장~ 한 번 보러 가자": 장 is the market).
# Praise told to the person it is about ("잘~했어 우리 아들", "대~단했어요!") is how parents and
# friends drawl a compliment: 했어 is left as written, whatever the drawl.
_TOLD = "(?!했어)"
_PRAISE: tuple[tuple[str, str, str, str], ...] = (
    ("잘", r"\s*", f"(?:{_DEUL}\\s*)?{_TOLD}(?:{_HA}|{_NO})|{_NA}", "못"),
    ("대단", "", _TOLD + _HA, "안 대단"),
    ("훌륭", "", _TOLD + _HA, "안 훌륭"),
    ("장", "", _TOLD + _HA, "안 장"),
)
_PATTERNS = tuple(
    (re.compile(f"{_START}({''.join(_drawable(s) for s in stem)})({gap})(?={follow})"), stem, negation)
    for stem, gap, follow, negation in _PRAISE
)


def read_as_meant(text: str) -> str:
    """``text`` with each drawled praise of a deed rewritten as its negation (unchanged if none)."""
    for pattern, stem, negation in _PATTERNS:
        text = pattern.sub(_negation_of(stem, negation), text)
    return text


def _negation_of(stem: str, negation: str) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        if match.group(1) == stem:  # said plainly: praise
            return match.group(0)
        return negation + match.group(2)  # the writer's space after a drawled 잘 stays: "잘~ 한다" → "못 한다"

    return replace
