"""Reading a free-text correction ("too long", "don't call me buddy", "반말로 해줘") as preference changes.

Rules, not a model: corrections are short and formulaic, a rule is predictable
and testable, and a wrong guess is visible in "what I've learned" and undoable.
Negated Korean forms ("반말 하지 마") are checked before the plain ones.
"""
from __future__ import annotations

import re

from .preferences import Change

_I = re.IGNORECASE

# (pattern, field, value). The first matching rule per field wins; order matters within a field.
_RULES: list[tuple[re.Pattern[str], str, str]] = [(re.compile(p, _I), f, v) for p, f, v in [
    # Length.
    (r"too short|longer|more detail|elaborate|say more|길게|자세히|너무 짧", "reply_length", "longer"),
    ((r"too long|too wordy|shorter|be brief|brevity|less (?:text|words)|tl;?dr|wall of text|"
      r"짧게|너무 길|길어|간단히|간단하게|요약"), "reply_length", "shorter"),
    # Korean speech level: negations first.
    (r"반말\s*(?:은|는|좀)?\s*(?:하지|쓰지)\s*마|존댓말로|존댓말\s*(?:해|써|을|을 써|좀)|존대|높임말",
     "register_ko", "jondaetmal"),
    (r"존댓말\s*(?:은|는|좀)?\s*(?:하지|쓰지)\s*마|반말로|반말\s*(?:해|써|좀)|말\s*(?:을\s*)?(?:놓아|놔|편하게)",
     "register_ko", "banmal"),
    (r"\b(?:speak|talk)\s+(?:to me\s+)?(?:casually|informally)\b", "register_ko", "banmal"),
    (r"\b(?:speak|talk)\s+(?:to me\s+)?(?:politely|formally)\b", "register_ko", "jondaetmal"),
    # Humour.
    ((r"(?:no|less|fewer|stop(?: the| making)?)\s+jok|not funny|stop joking|don'?t joke|be serious|"
      r"농담\s*(?:은|좀)?\s*(?:그만|하지\s*마)|장난\s*(?:치지\s*마|그만)|진지하게"), "humour", "less"),
    (r"more (?:jokes|humou?r)|be funn(?:y|ier)|make me laugh|재밌게|웃기게|농담\s*(?:도|좀)?\s*해", "humour", "more"),
    # Listening or advice.
    ((r"just listen|no advice|stop (?:giving )?advice|don'?t (?:try to )?fix|don'?t give (?:me )?advice|"
      r"not looking for (?:advice|solutions)|그냥 들어|들어\s*(?:만|줘)|"
      r"조언\s*(?:은|좀)?\s*(?:하지\s*마|그만|필요\s*없)|"
      r"충고\s*(?:는|좀)?\s*(?:하지\s*마|그만)|해결\s*(?:하려고\s*)?하지\s*마"), "advice_vs_listening", "listen"),
    ((r"give me (?:some )?advice|tell me what to do|be (?:more )?practical|what should i do|"
      r"조언\s*(?:좀|을)?\s*해|어떻게\s*해야|방법\s*(?:좀|을)?\s*알려"), "advice_vs_listening", "advice"),
]]

# Extractors with a captured name or topic.
_NEVER_CALL = [re.compile(p, _I) for p in (
    (r"(?:don'?t|do not|never|stop)\s+call(?:ing)?\s+me\s+[\"']?([\w][\w .'-]{0,30}?)[\"']?"
     r"(?:[.!,]|$|\s+(?:again|anymore|please))"),
    r"[\"']?([\w가-힣][\w가-힣 ]{0,20}?)[\"']?\s*(?:이)?라고\s*(?:좀\s*)?부르지\s*마",
)]
_CALL_ME = [re.compile(p, _I) for p in (
    (r"(?<!t )(?<!not )(?<!never )\bcall me\s+[\"']?([\w][\w .'-]{0,30}?)[\"']?"
     r"(?:[.!,]|$|\s+(?:instead|please|from now))"),
    r"[\"']?([\w가-힣][\w가-힣 ]{0,20}?)[\"']?\s*(?:이)?라고\s*(?:좀\s*)?불러",
)]
_AVOID_TOPIC = [re.compile(p, _I) for p in (
    (r"(?:don'?t|do not|never|stop)\s+(?:talk(?:ing)? about|mention(?:ing)?|bring(?:ing)? up|ask(?:ing)? (?:me )?about)"
     r"\s+(?:my\s+|the\s+)?([\w][\w '-]{0,40}?)(?:\s+(?:again|anymore|please|ever))*(?:[.!,]|$)"),
    r"([\w가-힣][\w가-힣 ]{0,20}?)\s*(?:얘기|이야기)\s*(?:는|은|좀)?\s*(?:하지\s*마|꺼내지\s*마|그만)",
)]
_ALLOW_TOPIC = re.compile(r"you can (?:talk about|mention|bring up)\s+(?:my\s+)?([\w][\w '-]{0,40}?)\s+again", _I)
_CAPTURE_STOPWORDS = {"me", "it", "that", "this", "so", "그", "그런", "그거"}


def parse_corrections(text: str) -> tuple[Change, ...]:
    """Every preference change a correction asks for; empty when it asks for none we know."""
    text = " ".join(text.split())
    changes: list[Change] = []
    seen_fields: set[str] = set()
    for pattern, field, value in _RULES:
        match = pattern.search(text)
        if match and field not in seen_fields:
            seen_fields.add(field)
            changes.append(Change(field, value, match.group(0)))
    for patterns, field, sign in ((_NEVER_CALL, "never_call", "+"), (_CALL_ME, "address_as", ""),
                                  (_AVOID_TOPIC, "avoid_topics", "+")):
        for pattern in patterns:
            match = pattern.search(text)
            captured = _clean_capture(match.group(1)) if match else ""
            if captured:
                changes.append(Change(field, f"{sign}{captured}", match.group(0)))  # type: ignore[union-attr]
                break
    allowed = _ALLOW_TOPIC.search(text)
    if allowed and _clean_capture(allowed.group(1)):
        changes.append(Change("avoid_topics", f"-{_clean_capture(allowed.group(1))}", allowed.group(0)))
    return tuple(changes)


def _clean_capture(raw: str) -> str:
    value = raw.strip(" \"'.,!")
    return "" if not value or value.lower() in _CAPTURE_STOPWORDS else value
