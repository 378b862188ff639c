"""What a reply may not say, as data: the scripts, phrases and word lists :mod:`.reply_guard` refuses.

Kept apart from the guard's logic so the lists can grow (each new help-desk phrase or advice wording the
small model finds) without touching how a token is decided.
"""
from __future__ import annotations

import re

HAN_OR_KANA = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
EMOJI = re.compile(r"[\U0001F300-\U0001FAFF\u2600-\u27BF]")
# One spoken paragraph: no lists, markup, asides or [notes]; a colon only ever introduced a list of advice.
LIST_MARKS = re.compile(r"[\n*#•|`\[\]<>{}():]")
# Characters a reply may have besides letters: a small model that is unsure emits Thai vowel signs,
# Cyrillic or Hebrew, which no rule about "English" or "Korean" words would catch one by one.
PUNCTUATION = frozenset(" .,!?'\"-:;~…’‘“”·%/&+=@$€£₩^_")


def foreign_characters(text: str, language: str) -> bool:
    """Whether ``text`` has a character that belongs in no reply in ``language`` (en | ko | other).
    Latin letters in a Korean reply, Hangul in an English one and emoji are decided elsewhere, per reply."""
    for ch in text:
        if ch.isdigit() and ch.isascii() or ch in PUNCTUATION or ch.isascii() and ch.isalpha():
            continue
        if HANGUL.match(ch) or EMOJI.match(ch):
            continue
        if language != "ko" and ch.isalpha() and "\u00c0" <= ch <= "\u024f":
            continue  # café, naïve
        if language == "other" and ch.isalpha() and not HAN_OR_KANA.match(ch):
            continue  # other languages are answered in their own script
        return True
    return False
# A short unit with a letter in it, three times running ("락 락 락", "=3 =3 =3"): a small model's loop.
LOOP = re.compile(r"([^\s]{1,6}?)(?:\s*\1){2,}\s*$")
ENUMERATION = re.compile(r"(?:^|[\s,;:])\d{1,2}[.)](?=\s|$)")  # "1. Bananas, 2. Apples": a list without newlines
# How an English question starts: the last sentence of a reply whose plan asks one must open with one.
QUESTION_OPENERS = frozenset("what how did do does are is was were have has can could would will which when where who "
                             "why any anything want".split())
GREETINGS = frozenset({"hi", "hello", "hey", "hiya", "howdy", "안녕", "안녕하세요", "반가워", "반갑습니다"})

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
# Pet names: a friend of a few weeks who calls you "sweetie" sounds like a salesperson or a lover, and the
# small model said it to one English message in ten.
PET_NAMES = {
    "en": re.compile(r"\b(?:sweetie|sweety|sweetheart|honey|darling|my dear|dearest|babe|hun)\b"),
    "ko": re.compile(r"자기야|애기야|여보|우리 애기"),
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
                     r"해\s?보세요|해\s?보시는|는 게 좋을\s?것\s?같|해\s?보는 게|보는 게 좋|는 것도 방법"),
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
