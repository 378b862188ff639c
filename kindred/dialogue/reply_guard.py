"""What a reply may not say, decided token by token while it is written.

A 1.5B model told "don't echo, don't lecture, two or three sentences" still does all three.
Rules it cannot break work better than rules it is asked to keep, so the llama.cpp backend asks
this guard about every likely next token (:mod:`.llama_guard`) and never samples one it refuses:

- *script*: no Chinese characters or kana ever; in a Korean reply no Latin letters unless the
  person used that word; in an English reply no Hangul unless the person wrote some;
- *register*: in 반말 no polite ending (했어요, 합니다, 그렇죠); in 존댓말 no sentence may end casually;
- *no echo*: no stretch of the person's message, or of her own earlier replies, is copied
  (8 Hangul characters or 5 English words; the bench counts 10 characters and 5 words);
- *shape*: one paragraph with no list marks; the feeling first (no question in the first
  sentence), at most one question and the reply ends with it; at most ``max_sentences``;
- *no help desk, no lecture*: the phrases people hear as a call centre or a sermon;
- *no unasked advice*: suggestion phrasing only when the plan allows one;
- *manners*: no greeting unless the person greeted first.

Everything here is plain text in, yes or no out, so it is tested without a model and any
backend that can veto tokens can use it; backends that cannot still get :meth:`Step.finished`
(the sentence budget) by stopping the stream.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from .korean import ends_casual, is_syllable, polite_yo_starts
from .reply_words import (
    EMOJI,
    ENUMERATION,
    FIRST_PERSON_EN,
    FIRST_PERSON_KO,
    GREETINGS,
    HAN_OR_KANA,
    HANGUL,
    HELP_DESK,
    HUMBLE_KO,
    LIST_MARKS,
    LOOP,
    PET_NAMES,
    PLAIN_WORDS_EN,
    QUESTION_OPENERS,
    SUGGESTION,
    YOU_TRANSLATED_KO,
    foreign_characters,
)

# Stricter than what `kindred bench replies` counts as an echo (10 characters, 5 words): a shorter
# copy already reads as her handing the person's words back.
ECHO_CHARS = 6  # Hangul characters (spaces and punctuation ignored) copied in a row
ECHO_WORDS = 4  # English words copied in a row
RETELL_LETTERS = 8  # a Korean sentence this long whose letter pairs are RETELL_SHARE the person's is refused
RETELL_SHARE = 0.6
SENTENCE_END = ".!?…~"  # "~" closes a chatty Korean sentence ("좋아요~"): uncounted, 존댓말 ran on past its budget
_WORDS = re.compile(r"[a-z0-9']+")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_TAIL_WORD = re.compile(r"[A-Za-z']+$")
_KOREAN_WORD_TAIL = re.compile(r"[\uac00-\ud7a3]+$")


@dataclass(frozen=True)
class ReplyRules:
    """What this reply must respect; built per turn from the plan and the person's message."""

    language: str = "en"  # the reply's: en | ko | other
    register_ko: str = "banmal"  # banmal | jondaetmal
    person_text: str = ""
    earlier_replies: tuple[str, ...] = ()  # hers, in this conversation
    max_sentences: int = 3
    may_suggest: bool = False
    may_greet: bool = False
    wants_question: bool = False  # the plan asks a question: the last sentence is one
    # A tighter cap than the sentence budget's (0: none), for a reply whose start is already said:
    # past ``length_cap`` it ends at the next sentence end, and at 1.5 × it is ended.
    length_cap: int = 0

    @property
    def soft_length(self) -> int:
        """Past this, the reply ends at the next sentence end (English words, Korean characters)."""
        short = self.max_sentences <= 3
        budget = (45 if short else 110) if self.language != "ko" else (100 if short else 260)
        return min(budget, self.length_cap) if self.length_cap else budget

    @property
    def hard_length(self) -> int:
        budget = (58 if self.max_sentences <= 3 else 150) if self.language != "ko" else \
            (140 if self.max_sentences <= 3 else 360)
        return min(budget, self.length_cap * 3 // 2) if self.length_cap else budget

    @cached_property
    def _sources(self) -> tuple[str, ...]:
        return (self.person_text, *self.earlier_replies)

    @cached_property
    def echo_chars(self) -> frozenset[str]:
        """Every run of ECHO_CHARS letters in the texts not to copy, spaces and punctuation removed."""
        return frozenset().union(*(runs_of(text) for text in self._sources))

    @cached_property
    def person_pairs(self) -> frozenset[str]:
        """The person's letter pairs (spaces and punctuation removed): a sentence made mostly of them is theirs
        retold, even with a letter changed ("병원 가는 택사 안이야")."""
        letters = _letters(self.person_text)
        return frozenset(letters[i:i + 2] for i in range(len(letters) - 1))

    @cached_property
    def echo_words(self) -> tuple[tuple[str, ...], ...]:
        return tuple(tuple(_WORDS.findall(text.lower())) for text in self._sources)

    @cached_property
    def own_pairs(self) -> frozenset[tuple[str, str]]:
        """The person's (first-person word, next word) pairs: what she must not say as her own."""
        pairs: set[tuple[str, str]] = set()
        words = _WORDS.findall(self.person_text.lower())
        pairs.update((a, b) for a, b in zip(words, words[1:])
                     if a in FIRST_PERSON_EN and b not in PLAIN_WORDS_EN and len(b) >= 3)
        eojeols = [re.sub(r"[^\uac00-\ud7a3]", "", w) for w in self.person_text.split()]
        pairs.update((a, b) for a, b in zip(eojeols, eojeols[1:]) if a in FIRST_PERSON_KO and b)
        return frozenset(pairs)

    @cached_property
    def latin_words(self) -> frozenset[str]:
        return frozenset(w.lower() for w in _LATIN_WORD.findall(self.person_text))

    @cached_property
    def person_uses_hangul(self) -> bool:
        return bool(HANGUL.search(self.person_text))

    @cached_property
    def person_uses_emoji(self) -> bool:
        return bool(EMOJI.search(self.person_text))


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def runs_of(text: str) -> frozenset[str]:
    """Every run of ECHO_CHARS letters in ``text`` (spaces and punctuation removed): what counts as a copy."""
    letters = _letters(text)
    return frozenset(letters[i:i + ECHO_CHARS] for i in range(len(letters) - ECHO_CHARS + 1))


def sentences_done(text: str) -> tuple[int, bool]:
    """How many sentences ``text`` has finished, and whether the last one was a question."""
    count, question, previous = 0, False, ""
    for ch in text:
        if ch in SENTENCE_END and previous not in SENTENCE_END:
            count += 1
            question = ch == "?"
        elif ch == "?" and previous in SENTENCE_END:
            question = True
        previous = ch if ch in SENTENCE_END or not ch.isspace() else previous
    return count, question


@dataclass
class Step:
    """The guard's view of one point in the reply: what is written so far."""

    rules: ReplyRules
    text: str
    _lower: str = field(init=False)

    def __post_init__(self) -> None:
        self._lower = self.text.lower()
        self._count, self._asked = sentences_done(self.text)
        self._ends_sentence = bool(self.text.rstrip()) and self.text.rstrip()[-1] in SENTENCE_END

    def finished(self) -> bool:
        """The reply has said enough: end it here rather than start another sentence (or, past the hard
        length, wherever it is: a runaway sentence is worse than a cut one)."""
        size = self._size()
        if size >= self.rules.hard_length:
            return True
        if not self._ends_sentence:
            return False
        return self._asked or self._count >= self.rules.max_sentences or size >= self.rules.soft_length

    def _size(self) -> int:
        """Words in English, characters without spaces in Korean: how the bench counts length."""
        if self.rules.language == "ko":
            return len(self.text.replace(" ", ""))
        return len(self.text.split())

    def allows(self, piece: str) -> bool:
        """May ``piece`` come next? (``piece`` is one token's text; "" stands for the end of the reply.)"""
        if not piece:
            return self._may_end()
        if HAN_OR_KANA.search(piece) or LIST_MARKS.search(piece) or foreign_characters(piece, self.rules.language):
            return False
        if EMOJI.search(piece) and not self.rules.person_uses_emoji:
            return False
        tail = self.text[-8:]
        if any(m.end() > len(tail) for m in ENUMERATION.finditer(tail + piece)):
            return False
        looping = LOOP.search(self.text[-40:] + piece)
        if looping and re.search(r"[A-Za-z\uac00-\ud7a3=]", looping.group(1)) and piece.strip():
            return False
        if "?" in piece and self._count == 0:
            return False  # the feeling first: the opening sentence is never a question
        if self._question_due() and not self._question_allows(piece):
            return False
        language = self.rules.language
        if language == "ko" and not self._latin_allowed(piece):
            return False
        if language == "en" and HANGUL.search(piece) and not self.rules.person_uses_hangul:
            return False
        if language == "ko" and not self._register_allows(piece):
            return False
        if not self.rules.may_greet and self._greets(piece):
            return False
        tail = self._lower[-60:]
        joined = tail + piece.lower()
        patterns = [HELP_DESK.get(language, HELP_DESK["en"]), PET_NAMES.get(language, PET_NAMES["en"])]
        if not self.rules.may_suggest:
            patterns.append(SUGGESTION.get(language, SUGGESTION["en"]))
        if any(m.end() > len(tail) for p in patterns for m in p.finditer(joined)):
            return False  # the piece completes a phrase (one already written before it is not its doing)
        return not (self._echoes(piece) or self._tells_their_life(piece))

    # --- the individual rules ---

    def _question_due(self) -> bool:
        """The plan asks a question, none is asked yet, and this is the last sentence the budget allows."""
        rules = self.rules
        return rules.wants_question and rules.max_sentences >= 2 and not self._asked and \
            self._count >= rules.max_sentences - 1

    def _question_allows(self, piece: str) -> bool:
        if any(mark in piece for mark in ".!…"):
            return False  # this sentence must end with "?"
        if self.rules.language == "en" and (self._ends_sentence or not self.text.strip()):
            word = (re.match(r"\s*([A-Za-z']*)", piece) or [""])[1].lower()
            return not word or any(opener.startswith(word) or word == opener for opener in QUESTION_OPENERS)
        return True

    def _may_end(self) -> bool:
        rules = self.rules
        if rules.wants_question and not self._asked and rules.max_sentences >= 2 and self._count >= 1:
            return False  # not before the question the plan asks for
        if self.rules.language == "ko" and self.rules.register_ko == "jondaetmal":
            return not ends_casual(self._last_word(self.text))
        return True

    def _latin_allowed(self, piece: str) -> bool:
        if not re.search(r"[A-Za-z]", piece):
            return True
        allowed = self.rules.latin_words
        if not allowed:
            return False
        word = (_TAIL_WORD.search(self.text) or [""])[0] + piece
        return all(any(a.startswith(w.lower()) for a in allowed) for w in _LATIN_WORD.findall(word))

    def _register_allows(self, piece: str) -> bool:
        word_so_far = "" if piece[:1].isspace() else (_KOREAN_WORD_TAIL.search(self.text) or [""])[0]
        hangul_prefix = (re.match(r"[\uac00-\ud7a3]*", piece.lstrip()) or [""])[0]
        word = word_so_far + hangul_prefix
        if word.startswith(YOU_TRANSLATED_KO) and word != word_so_far:
            return False  # 당신: a translation's "you"; a friend says 너, and 존댓말 leaves "you" out
        if self.rules.register_ko == "banmal":
            if (word_so_far + hangul_prefix) in HUMBLE_KO and word_so_far + hangul_prefix != word_so_far:
                return False  # 저는, 제가: a friend says 나는, 내가
            return not polite_yo_starts(word_so_far, hangul_prefix)
        if self.rules.register_ko != "jondaetmal":
            return True  # any speech level (a caller that converts the register itself)
        # 존댓말: a sentence may not close on a casual ending (the model then adds -요 instead).
        first = piece.lstrip()[:1]  # "" for a piece of spaces alone, which closes nothing ("" is in every str)
        closes = bool(first) and first in SENTENCE_END and not hangul_prefix
        return not (closes and ends_casual(self._last_word(self.text)))

    @staticmethod
    def _last_word(text: str) -> str:
        words = text.split()
        return words[-1] if words else ""

    def _greets(self, piece: str) -> bool:
        if self._count > 0:
            return False
        first = re.match(r"\s*([^\s,.!?~]+)", self.text + piece)
        return first is not None and first.group(1).lower() in GREETINGS and first.end() <= len(self.text + piece)

    def _tells_their_life(self, piece: str) -> bool:
        pairs = self.rules.own_pairs
        if not pairs:
            return False
        joined = self.text[-80:] + piece
        english = _WORDS.findall(joined.lower())
        if len(english) >= 2 and re.search(r"[A-Za-z']$", joined):
            if any(a == english[-2] and b.startswith(english[-1]) for a, b in pairs):
                return True
        korean = [re.sub(r"[^\uac00-\ud7a3]", "", w) for w in joined.split()]
        if len(korean) >= 2 and korean[-1] and is_syllable(joined[-1]):
            return any(a == korean[-2] and b.startswith(korean[-1]) for a, b in pairs)
        return False

    def _echoes(self, piece: str) -> bool:
        rules = self.rules
        if any(is_syllable(ch) or ch.isalnum() for ch in piece) and rules.echo_chars:
            letters = _letters(self.text[-40:] + piece)
            added = len(_letters(piece))
            for end in range(len(letters) - added + 1, len(letters) + 1):
                if end >= ECHO_CHARS and letters[end - ECHO_CHARS:end] in rules.echo_chars:
                    if any(is_syllable(ch) for ch in letters[end - ECHO_CHARS:end]):
                        return True
        if rules.language == "ko":
            return self._retells(piece)
        return self._echoes_words(piece)

    def _retells(self, piece: str) -> bool:
        """This sentence, with the piece, is mostly letter pairs of the person's message."""
        start = max((self.text.rfind(mark) for mark in SENTENCE_END), default=-1) + 1
        letters = _letters(self.text[start:] + piece)
        if len(letters) < RETELL_LETTERS or not _letters(piece):
            return False
        pairs = {letters[i:i + 2] for i in range(len(letters) - 1)}
        return len(pairs & self.rules.person_pairs) / len(pairs) >= RETELL_SHARE

    def _echoes_words(self, piece: str) -> bool:
        """The newest word, even half written, would make ECHO_WORDS words in a row from a source."""
        words = _WORDS.findall(self._lower[-200:] + piece.lower())
        if len(words) < ECHO_WORDS:
            return False
        *before, partial = words[-ECHO_WORDS:]
        for source in self.rules.echo_words:
            for i in range(len(source) - ECHO_WORDS + 1):
                if list(source[i:i + ECHO_WORDS - 1]) == before and source[i + ECHO_WORDS - 1].startswith(partial):
                    return True
        return False


def greets(text: str) -> bool:
    """The message opens with a greeting ("hi", "안녕", "hey there"): she may greet back."""
    first = re.match(r"\s*([^\s,.!?~]+)", text.lower())
    return first is not None and (first.group(1) in GREETINGS or first.group(1).startswith("안녕"))


class ReplyGuard:
    def __init__(self, rules: ReplyRules) -> None:
        self.rules = rules

    def at(self, text: str) -> Step:
        return Step(self.rules, text)


__all__ = ["ECHO_CHARS", "ECHO_WORDS", "HELP_DESK", "ReplyGuard", "ReplyRules", "SUGGESTION", "Step",
           "foreign_characters", "greets", "sentences_done"]
