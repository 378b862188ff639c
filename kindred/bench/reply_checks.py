"""Automatic checks on one reply, for `kindred bench replies`.

Written apart from the decoding guard (:mod:`kindred.dialogue.reply_guard`) and stricter where they
differ, so that the bench measures the replies and not the guard's own idea of them: the register
check reads sentence endings with its own patterns, echo is measured as the longest copied run,
and the phrase lists are the issue's plus what people hear as a help desk or a sermon.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

CHECKS = ("language", "register", "no_echo", "length", "no_help_desk", "manners", "plan_shows")
ECHO_KO_CHARS = 10
ECHO_EN_WORDS = 5
MAX_SENTENCES = 4
MAX_EN_WORDS = 60
MAX_KO_CHARS = 150

_HANGUL = re.compile(r"[\uac00-\ud7a3\u3131-\u318e]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_EN_WORD = re.compile(r"[a-z0-9']+")
_SENTENCES = re.compile(r"[^.!?…\n]+(?:[.!?…]+|$)")
_BANMAL_BROKEN = re.compile(r"(?:요|니다|니까|세요|습니다|십시오)[\s\"'’)~ㅎㅋㅠㅜ^]*$")
_POLITE_END = re.compile(r"(?:요|니다|니까|죠|십시오|세요)[\s\"'’)~ㅎㅋㅠㅜ^]*$")
_YOU_TRANSLATED = re.compile(r"당신")
_KO_INTERJECTIONS = {"우와", "와", "아", "아이고", "헐", "어머", "네", "정말", "진짜", "세상에", "저런", "이런",
                     "음", "오"}
HELP_DESK = {
    "en": re.compile(
        r"how (?:can|may) i (?:help|assist)|is there anything (?:else )?i can|it'?s important to|"
        r"it is important to|remember that|self[- ]care|(?:see|seek|talk to|reach out to|consult) (?:a |some )?"
        r"(?:professional|therapist|counsell?or)|professional help|don'?t hesitate to|as an ai language model",
        re.IGNORECASE),
    "ko": re.compile(r"도와\s?드릴까요|도와\s?드릴게요|도와\s?줄까|무엇을 도와|뭘 도와줄|전문가|상담(?:사|을 받)|"
                     r"중요해요|중요합니다|잊지 마세요|명심하세요|자기\s?관리"),
}
_LIST_LINE = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s", re.MULTILINE)
_GREETING = re.compile(r"^\W*(?:hi|hello|hey|hiya|good (?:morning|evening|afternoon)|안녕|반가)", re.IGNORECASE)
SUGGESTS = {
    "en": re.compile(
        r"\byou (?:should|need to|have to) (?:try|talk|go|take|call|tell|get|ask|see|just|consider|stop|start|let|"
        r"reach|make)\b|"
        r"\byou (?:could|might want to|may want to) (?:try|start|go|take|call|write|talk|ask|make)\b|"
        r"\bmaybe (?:you )?try\b|\btry (?:to|some|a|taking|going)\b|"
        r"\bhow about (?:trying|going|taking|doing|a |some)|\bhave you (?:tried|considered)\b|\bi (?:suggest|"
        r"recommend)\b|"
        r"\bit (?:might|may|could) help to\b|\bwhy not\b|\bconsider (?:talking|taking|trying|writing|going)\b|"
        r"\b(?:you can|you could|maybe|just) try\b|\btry (?:talking|writing|calling|getting|doing|an?)\b",
        re.IGNORECASE),
    "ko": re.compile(r"해\s?봐|해\s?보는\s?(?:건|것)|해\s?보면|하는\s?게\s?좋|추천|보는\s?건\s?어때|어떨까|"
                     r"는\s?게\s?어때|"
                     r"건\s?어때|해\s?보세요|해\s?보시는|게\s?좋을\s?것\s?같"),
}
FEELINGS = {
    "en": re.compile(
        r"\b(?:sad|sorry|hard|tough|hurt|heartbreak\w*|heavy|lonely|alone|scar\w+|nervous|anxious|worr\w+|frustrat\w+|"
        r"angry|mad|furious|upset|unfair|exhaust\w+|tired|drain\w*|overwhelm\w*|stress\w*|embarrass\w*|awkward|"
        r"ashamed|disappoint\w*|sting\w*|stung|miss\w*|loss|grie\w+|happy|glad|proud|excit\w+|thrill\w*|relie\w+|"
        r"joy\w*|fun|bor\w+|left out|painful|pain|rough|awful|terrible|devastat\w+|gutted|crush\w*|lonel\w+|"
        r"feel\w*|emotional|love\w*|amazing|wonderful|delight\w*|calm|peace\w*|afraid|fear\w*|jealous|guilt\w*)\b",
        re.IGNORECASE),
    "ko": re.compile(r"슬프|슬펐|슬픈|슬퍼|속상|힘들|힘든|힘드|힘들었|외로|외롭|허전|서운|섭섭|아프|아팠|아픈|아파|"
                     r"무섭|무서|두려|"
                     r"걱정|불안|떨리|떨려|떨렸|긴장|화나|화가|화날|열받|짜증|억울|답답|지치|지쳤|지친|피곤|고생|"
                     r"창피|민망|"
                     r"부끄|실망|아쉽|아쉬|기쁘|기뻐|기쁜|좋겠|좋았|신나|신난|설레|행복|자랑|뿌듯|다행|안심|홀가분|"
                     r"심심|지루|"
                     r"그리워|그립|마음|기분|감동|무너|막막|괴롭|괴로|겁|상처|쓸쓸|울컥|눈물|놀랐|놀라"),
}


@dataclass(frozen=True)
class Exchange:
    """One reply and what it answered."""

    language: str  # en | ko
    register: str  # banmal | jondaetmal (Korean), "" in English
    person: str
    reply: str
    earlier_replies: tuple[str, ...] = ()  # hers before, in this conversation
    turn_index: int = 0  # 0: the conversation's first message
    flags: frozenset[str] = frozenset()  # from the message set: loss, wants_heard, asks_suggestion, asks_more …
    strategies: tuple[str, ...] = ()  # Kindred's plan for this message
    suggestion_planned: bool = False


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCES.findall(text) if s.strip(" .!?…")]


def _letters(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def longest_copied_chars(a: str, b: str) -> int:
    """Length of the longest run of letters (spaces and punctuation ignored) that ``a`` shares with ``b``."""
    x, y = _letters(a), _letters(b)
    best, previous = 0, [0] * (len(y) + 1)
    for ch in x:
        current = [0] * (len(y) + 1)
        for j, other in enumerate(y, start=1):
            if ch == other:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def longest_copied_words(a: str, b: str) -> int:
    x, y = _EN_WORD.findall(a.lower()), _EN_WORD.findall(b.lower())
    best, previous = 0, [0] * (len(y) + 1)
    for word in x:
        current = [0] * (len(y) + 1)
        for j, other in enumerate(y, start=1):
            if word == other:
                current[j] = previous[j - 1] + 1
                best = max(best, current[j])
        previous = current
    return best


def _copies(ex: Exchange, source: str) -> bool:
    if ex.language == "ko":
        return longest_copied_chars(ex.reply, source) >= ECHO_KO_CHARS
    return longest_copied_words(ex.reply, source) >= ECHO_EN_WORDS


def check_language(ex: Exchange) -> str:
    if _HAN.search(ex.reply):
        return "Chinese or Japanese characters"
    used = {w.lower() for w in _LATIN_WORD.findall(ex.person)}
    # A name the person wrote in Latin letters ("KTX") is theirs to share, not stray English.
    own = _LATIN_WORD.sub(lambda m: "" if m.group(0).lower() in used else m.group(0), ex.reply)
    letters = [ch for ch in (own if ex.language == "ko" else ex.reply) if ch.isalpha()]
    if not letters:
        return "no words"
    hangul = sum(1 for ch in letters if _HANGUL.match(ch)) / len(letters)
    if ex.language == "ko":
        if hangul < 0.9:
            return f"only {hangul:.0%} Hangul"
        stray = [w for w in _LATIN_WORD.findall(ex.reply) if w.lower() not in used]
        return f"English words: {' '.join(stray[:3])}" if stray else ""
    if hangul > 0 and not _HANGUL.search(ex.person):
        return "Korean in an English reply"
    return ""


def check_register(ex: Exchange) -> str:
    if ex.language != "ko":
        return ""
    if _YOU_TRANSLATED.search(ex.reply):
        return "당신 (a translation's 'you': a friend says 너, 존댓말 leaves it out)"
    for sentence in sentences(ex.reply):
        words = sentence.split()
        last = re.sub(r"[.!?…,]+$", "", words[-1]) if words else ""
        if ex.register == "jondaetmal":
            if last in _KO_INTERJECTIONS or not _HANGUL.search(last):
                continue
            if not _POLITE_END.search(last):
                return f"반말 in 존댓말: {sentence[-20:]}"
        elif _BANMAL_BROKEN.search(last):
            return f"존댓말 in 반말: {sentence[-20:]}"
    return ""


def check_no_echo(ex: Exchange) -> str:
    if _copies(ex, ex.person):
        return "copies the person's words"
    if any(_copies(ex, earlier) for earlier in ex.earlier_replies):
        return "repeats her own earlier reply"
    return ""


def check_length(ex: Exchange) -> str:
    if "asks_more" in ex.flags:
        return ""
    count = len(sentences(ex.reply))
    if count > MAX_SENTENCES:
        return f"{count} sentences"
    if ex.language == "ko":
        size = len(ex.reply.replace(" ", ""))
        return f"{size} characters" if size > MAX_KO_CHARS else ""
    words = len(ex.reply.split())
    return f"{words} words" if words > MAX_EN_WORDS else ""


def check_no_help_desk(ex: Exchange) -> str:
    found = HELP_DESK.get(ex.language, HELP_DESK["en"]).search(ex.reply)
    if found:
        return f"'{found.group(0)}'"
    if _LIST_LINE.search(ex.reply) or "**" in ex.reply:
        return "a list or markup"
    return ""


def check_manners(ex: Exchange) -> str:
    if ex.turn_index > 0 and _GREETING.search(ex.reply):
        return "greets in the middle of a conversation"
    questions = sum(1 for s in sentences(ex.reply) if s.endswith("?"))
    return f"{questions} questions" if questions > 1 else ""


def check_plan_shows(ex: Exchange) -> str:
    asks = any(s.endswith("?") for s in sentences(ex.reply))
    if "question" in ex.strategies and not asks:
        return "the plan asks a question; the reply does not"
    if ex.strategies[:1] == ("reflection_of_feelings",) and not FEELINGS[ex.language].search(ex.reply):
        return "the plan reflects a feeling; the reply names none"
    suggestion = SUGGESTS.get(ex.language, SUGGESTS["en"]).search(ex.reply)
    if suggestion:
        if "loss" in ex.flags or "wants_heard" in ex.flags:
            return f"a suggestion when they grieve or want to be heard: '{suggestion.group(0)}'"
        invited = ex.suggestion_planned or "asks_suggestion" in ex.flags or "providing_suggestions" in ex.strategies
        if not invited:
            return f"an unasked suggestion: '{suggestion.group(0)}'"
    return ""


_BY_NAME = {"language": check_language, "register": check_register, "no_echo": check_no_echo,
            "length": check_length, "no_help_desk": check_no_help_desk, "manners": check_manners,
            "plan_shows": check_plan_shows}


def check(ex: Exchange, names: Sequence[str] = CHECKS) -> dict[str, str]:
    """Each check's finding: "" when the reply passes it, else what went wrong."""
    return {name: _BY_NAME[name](ex) for name in names}


__all__ = ["CHECKS", "Exchange", "check", "longest_copied_chars", "longest_copied_words", "sentences"]
