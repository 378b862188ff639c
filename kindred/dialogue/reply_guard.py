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
_HAN_OR_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_EMOJI = re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]")
# One spoken paragraph: no lists, markup, asides or [notes]; a colon only ever introduced a list of advice.
_LIST_MARKS = re.compile(r"[\n*#•|`\[\]<>{}():]")
# Characters a reply may have besides letters: a small model that is unsure emits Thai vowel signs,
# Cyrillic or Hebrew, which no rule about "English" or "Korean" words would catch one by one.
_PUNCTUATION = frozenset(" .,!?'\"-:;~…’‘“”·%/&+=@$€£₩^_")


def foreign_characters(text: str, language: str) -> bool:
    """Whether ``text`` has a character that belongs in no reply in ``language`` (en | ko | other).
    Latin letters in a Korean reply, Hangul in an English one and emoji are decided elsewhere, per reply."""
    for ch in text:
        if ch.isdigit() and ch.isascii() or ch in _PUNCTUATION or ch.isascii() and ch.isalpha():
            continue
        if _HANGUL.match(ch) or _EMOJI.match(ch):
            continue
        if language != "ko" and ch.isalpha() and "\u00c0" <= ch <= "\u024f":
            continue  # café, naïve
        if language == "other" and ch.isalpha() and not _HAN_OR_KANA.match(ch):
            continue  # other languages are answered in their own script
        return True
    return False
# A short unit with a letter in it, three times running ("락 락 락", "=3 =3 =3"): a small model's loop.
_LOOP = re.compile(r"([^\s]{1,6}?)(?:\s*\1){2,}\s*$")
_ENUMERATION = re.compile(r"(?:^|[\s,;:])\d{1,2}[.)](?=\s|$)")  # "1. Bananas, 2. Apples": a list without newlines
# How an English question starts: the last sentence of a reply whose plan asks one must open with one.
QUESTION_OPENERS = frozenset("what how did do does are is was were have has can could would will which when where who "
                             "why any anything want".split())
_GREETINGS = frozenset({"hi", "hello", "hey", "hiya", "howdy", "안녕", "안녕하세요", "반가워", "반갑습니다"})

HELP_DESK = {
    "en": re.compile(
        r"how (?:can|may|could) i (?:help|assist|support)|is there anything (?:else )?i can|"
        r"anything else (?:i can|you'd like|you want)|"
        r"what (?:do|can) you need help with|(?:can|could|may) i help you with|"
        r"let me know if|feel free to|(?:it's|it is) (?:important|essential|crucial|vital)|remember(?: that| to|,)|"
        r"self[- ]care|professional|therapist|counsell?or|don't hesitate|as an ai,|language model|"
        r"i'm here to help|(?:do|try) my best to help|reach out to (?:someone|a )|seek (?:help|support)|"
        r"let's (?:talk about|discuss|explore) (?:what|how|ways)|the (?:best|key) (?:way|thing) (?:is|to)|"
        r"don't let (?:anyone|it|this|them)|take responsibility"),
    # Every form of the offer ("도와드릴까", "도와드려?", "어떻게 도와 릴까?" with a syllable lost), not
    # one spelling of it: the small model found the ones a list of spellings left out.
    "ko": re.compile(r"도와\s?드|도와\s?릴|어떻게\s?도와|도와\s?줄까|도와\s?줄게|도움이 필요하|도움이 될까|"
                     r"도움이 될 수|어떻게 도움|도와\s?줄 수|"
                     r"(?:무엇을|뭘|무엇이든) 도와|"
                     r"전문가|상담사|"
                     r"상담을 받|중요해|중요합|중요한 건|기억하세요|잊지 마|명심|자기\s?관리|다음과 같|"
                     r"인공지능이(?:므로|라서|기 때문)"),
}
# Advice phrasing, refused unless the plan allows a suggestion. Narrow on purpose: "I'm so happy you could
# make it" is not advice, "you could try" is.
SUGGESTION = {
    "en": re.compile(
        r"you (?:could|might|may) (?:also )?(?:try|want to|consider|start|talk|write|take a|go for|call)|"
        r"you (?:should|need to|have to) (?:try|talk|go|take|call|tell|get|ask|see|just|consider|stop|start|let|"
        r"reach|make)|"
        r"maybe (?:try|you could)|\btry (?:to|some|a|taking|going|writing)\b|"
        r"how about (?:trying|going|taking|doing|making|writing|calling|a |some)|have you (?:tried|considered)|"
        r"\bconsider (?:talking|taking|trying|writing|going)|it (?:might|may|could) help (?:to|if)|why not (?:try|go|"
        r"take)|"
        r"make sure (?:to|you)|i (?:suggest|recommend)|a good idea to|(?:you can|maybe|just) try\b"),
    "ko": re.compile(r"해\s?봐|해\s?보는 건|해\s?보면|하는 게 좋|하는 것도 좋|추천|보는 건 어때|는 게 어때|건 어때|"
                     r"해\s?보세요|해\s?보시는|는 게 좋을 것 같"),
}
# First-person words: her saying "my manager yelled" or "내 생일" after the person did is the person's
# life told back as hers, the small model's commonest slip.
FIRST_PERSON_EN = frozenset({"i", "i'm", "i've", "i'd", "i'll", "my", "me", "mine", "myself", "we", "our", "us"})
PLAIN_WORDS_EN = frozenset({"am", "was", "have", "had", "just", "really", "don't", "can't", "do", "did", "will",
                            "would", "know", "think", "feel", "get", "got", "the", "a", "an", "so", "too", "to",
                            "that", "this", "it", "is", "are", "be", "and", "but", "not", "also", "still"})
FIRST_PERSON_KO = frozenset({"나", "내", "내가", "나는", "난", "나도", "나만", "나를", "날", "나한테", "나랑", "내게",
                             "저", "제", "제가", "저는", "전", "저도", "저만", "저를", "저한테", "우리", "우리가"})
YOU_TRANSLATED_KO = "당신"
HUMBLE_KO = frozenset({"저는", "제가", "저도", "저를", "저한테", "저랑", "저의", "저희", "저희는"})  # 존댓말's 나


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
        return bool(_HANGUL.search(self.person_text))

    @cached_property
    def person_uses_emoji(self) -> bool:
        return bool(_EMOJI.search(self.person_text))


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
        if _HAN_OR_KANA.search(piece) or _LIST_MARKS.search(piece) or foreign_characters(piece, self.rules.language):
            return False
        if _EMOJI.search(piece) and not self.rules.person_uses_emoji:
            return False
        tail = self.text[-8:]
        if any(m.end() > len(tail) for m in _ENUMERATION.finditer(tail + piece)):
            return False
        looping = _LOOP.search(self.text[-40:] + piece)
        if looping and re.search(r"[A-Za-z\uac00-\ud7a3=]", looping.group(1)) and piece.strip():
            return False
        if "?" in piece and self._count == 0:
            return False  # the feeling first: the opening sentence is never a question
        if self._question_due() and not self._question_allows(piece):
            return False
        language = self.rules.language
        if language == "ko" and not self._latin_allowed(piece):
            return False
        if language == "en" and _HANGUL.search(piece) and not self.rules.person_uses_hangul:
            return False
        if language == "ko" and not self._register_allows(piece):
            return False
        if not self.rules.may_greet and self._greets(piece):
            return False
        tail = self._lower[-60:]
        joined = tail + piece.lower()
        patterns = [HELP_DESK.get(language, HELP_DESK["en"])]
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
        return first is not None and first.group(1).lower() in _GREETINGS and first.end() <= len(self.text + piece)

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
    return first is not None and (first.group(1) in _GREETINGS or first.group(1).startswith("안녕"))


class ReplyGuard:
    def __init__(self, rules: ReplyRules) -> None:
        self.rules = rules

    def at(self, text: str) -> Step:
        return Step(self.rules, text)


__all__ = ["ECHO_CHARS", "ECHO_WORDS", "HELP_DESK", "ReplyGuard", "ReplyRules", "SUGGESTION", "Step",
           "foreign_characters", "greets", "sentences_done"]
