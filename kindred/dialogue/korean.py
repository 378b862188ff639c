"""Korean speech level at the end of a word: polite (존댓말) or casual (반말).

Korean marks the speech level in the sentence ending, so both the decoding guard and the
prompt only need to look at the last word of a sentence. The rules are small on purpose: they
cover the endings a chat reply uses (해요체, 합쇼체, 해체), not the whole grammar.
"""
from __future__ import annotations

import re

_HANGUL_BASE = 0xAC00
_FINAL_B = 17  # ㅂ as a syllable's final consonant (합, 입, 갑 …)

# 요 after one of these closes a polite word (했어요, 그래요, 좋네요, 할게요, 뭐예요 …). Nouns that end in
# 요 (필요, 중요, 주요, 월요일) have other syllables before it, and 요즘 has none.
_POLITE_YO_AFTER = frozenset("어아여해워와봐줘네지데게래대세까나군걸거죠예에서고했돼되셔뇨든잖라면는도가")
# Casual (반말) final syllables of a sentence: 힘들었겠어, 그렇지, 잘했네, 좋다, 고마워, 할까, 그렇구나 …
_CASUAL_FINAL = frozenset("어아야지니냐자래해네나까군다게걸데고봐줘워돼대렴래든잖")
_INTERJECTIONS = frozenset({"우와", "와", "헐", "아", "아이고", "어머", "음", "흠", "오", "네", "응", "그럼",
                            "정말", "진짜", "아하", "어", "에이", "저런", "세상에", "이런"})
_TRAILING = re.compile(r"[^\uac00-\ud7a3]+$")


def is_syllable(ch: str) -> bool:
    return len(ch) == 1 and 0xAC00 <= ord(ch) <= 0xD7A3


def _final_consonant(ch: str) -> int:
    return (ord(ch) - _HANGUL_BASE) % 28 if is_syllable(ch) else 0


def hangul_tail(word: str) -> str:
    """The word without what follows its last syllable (punctuation, ㅠㅠ, ~, emoji)."""
    return _TRAILING.sub("", word)


def ends_polite(word: str) -> bool:
    """True when the word ends in a 존댓말 ending: -요, -ㅂ니다/-습니다, -ㅂ니까, -죠, -십시오."""
    word = hangul_tail(word)
    if len(word) < 2:
        return False
    last, before = word[-1], word[-2]
    if last == "요":
        return before in _POLITE_YO_AFTER
    if last == "죠":
        return True
    if word.endswith(("니다", "니까")) and len(word) >= 3:
        return word[-3] == "습" or _final_consonant(word[-3]) == _FINAL_B
    return word.endswith("십시오")


def polite_yo_starts(word_so_far: str, piece: str) -> bool:
    """True when ``piece`` appended to the word being written makes a polite ending anywhere in it.

    Checked while generating, one token at a time: by the time a sentence ends it is too late to
    take back a 요 that has already been shown.
    """
    word = word_so_far + piece
    start = max(1, len(word_so_far))
    for at in range(start, len(word)):
        if word[at] == "요" and is_syllable(word[at - 1]) and word[at - 1] in _POLITE_YO_AFTER:
            return True
        if word[at] == "죠" and is_syllable(word[at - 1]):
            return True
        if word[at - 1:at + 1] in {"니다", "니까"} and at >= 2 and (
                word[at - 2] == "습" or _final_consonant(word[at - 2]) == _FINAL_B):
            return True
    return False


def ends_casual(word: str) -> bool:
    """True when the word ends a sentence in 반말 (힘들었겠어, 그렇구나, 잘했다, 고마워)."""
    word = hangul_tail(word)
    if not word or word in _INTERJECTIONS or ends_polite(word):
        return False
    return word[-1] in _CASUAL_FINAL


def speech_level(texts: list[str] | tuple[str, ...]) -> str:
    """How the person speaks across their messages: "jondaetmal", "banmal", or "" when nothing tells.

    Counts the last word of each sentence; short replies ("ㅇㅇ", "ㅠㅠ") say nothing either way, so a
    conversation in 존댓말 keeps it through them.
    """
    polite = casual = 0
    for text in texts:
        for sentence in re.split(r"[.?!…\n]+", text):
            words = [w for w in sentence.split() if hangul_tail(w)]
            if not words:
                continue
            polite += ends_polite(words[-1])
            casual += ends_casual(words[-1])
    if polite > casual:
        return "jondaetmal"
    return "banmal" if casual > polite else ""


__all__ = ["ends_casual", "ends_polite", "hangul_tail", "is_syllable", "polite_yo_starts", "speech_level"]
