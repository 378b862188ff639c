"""What Kindred has learned about how a person likes to be talked to.

Preferences are plain data. They change only through ``Change`` values (parsed
from feedback, or set by hand), so every change can be stored, shown and undone.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from ..errors import KindredError

# Shortest first: "too long" steps one place left, "too short" one place right.
REPLY_LENGTHS = ("very_short", "short", "normal", "long")
# Fractions of the configured max_reply_tokens. "short" is well under half of "normal" on purpose:
# small models often run to the token limit, so the limit is what actually shortens their replies.
_LENGTH_TOKENS = {"very_short": 0.25, "short": 0.4, "normal": 1.0, "long": 1.5}
_MIN_TOKENS = 24  # below this a reply cannot finish a sentence
LEVELS_3 = ("less", "normal", "more")
LISTENING = ("listen", "balanced", "advice")
REGISTERS = ("banmal", "jondaetmal")
MAX_NOTES = 5


class PreferenceError(KindredError):
    code = "preference-invalid"
    exit_code = 2


@dataclass(frozen=True)
class Change:
    """One learned change: ``field`` set to ``value`` (for tuples: ``+x`` adds, ``-x`` removes)."""

    field: str
    value: str
    phrase: str = ""  # the words it was learned from


@dataclass(frozen=True)
class Preferences:
    reply_length: str = "normal"  # very_short | short | normal | long
    register_ko: str = ""  # banmal | jondaetmal | "" (use the setting)
    humour: str = "normal"  # less | normal | more
    advice_vs_listening: str = "balanced"  # listen | balanced | advice
    avoid_topics: tuple[str, ...] = ()
    address_as: str = ""  # what to call them; "" means their name or nothing
    never_call: tuple[str, ...] = ()  # names they asked not to be called ("buddy")
    notes: tuple[str, ...] = ()  # free-text notes that matched no rule, newest last

    def to_dict(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(self).items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Preferences:
        known = {f.name for f in dataclasses.fields(cls)}
        clean: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known}
        return cls(**clean)


_CHOICES = {
    "reply_length": REPLY_LENGTHS, "register_ko": REGISTERS + ("",), "humour": LEVELS_3,
    "advice_vs_listening": LISTENING,
}


def apply_changes(prefs: Preferences, changes: tuple[Change, ...] | list[Change]) -> Preferences:
    for change in changes:
        prefs = _apply_one(prefs, change)
    return prefs


def _apply_one(prefs: Preferences, change: Change) -> Preferences:
    name, value = change.field, change.value
    if name == "reply_length" and value in {"shorter", "longer"}:
        index = REPLY_LENGTHS.index(prefs.reply_length) + (-1 if value == "shorter" else 1)
        value = REPLY_LENGTHS[max(0, min(len(REPLY_LENGTHS) - 1, index))]
    if name in _CHOICES:
        if value not in _CHOICES[name]:
            raise PreferenceError(f"'{value}' is not a valid {name}.",
                                  f"Choose one of: {', '.join(c for c in _CHOICES[name] if c)}.")
        chosen: dict[str, Any] = {name: value}
        return dataclasses.replace(prefs, **chosen)
    if name == "address_as":
        never = tuple(n for n in prefs.never_call if n.lower() != value.lower())
        return dataclasses.replace(prefs, address_as=value.strip(), never_call=never)
    if name in {"avoid_topics", "never_call", "notes"}:
        current = getattr(prefs, name)
        item = value[1:].strip()
        if value.startswith("-"):
            updated = tuple(x for x in current if x.lower() != item.lower())
        else:
            updated = tuple(x for x in current if x.lower() != item.lower()) + (item,)
        if name == "notes":
            updated = updated[-MAX_NOTES:]
        extra: dict[str, Any] = {name: updated}
        if name == "never_call" and prefs.address_as.lower() == item.lower() and not value.startswith("-"):
            extra["address_as"] = ""
        return dataclasses.replace(prefs, **extra)
    raise PreferenceError(f"Kindred learns no preference called '{name}'.",
                          f"Known: {', '.join(f.name for f in dataclasses.fields(Preferences))}.")


def max_tokens_for(prefs: Preferences, default: int) -> int:
    """The reply token limit for these preferences, scaled from the configured default."""
    return max(_MIN_TOKENS, round(default * _LENGTH_TOKENS.get(prefs.reply_length, 1.0)))


def register_for(prefs: Preferences, default: str) -> str:
    """Korean speech level: what they asked for, else the configured default."""
    return prefs.register_ko or default


@dataclass(frozen=True)
class ReplyShape:
    """Everything the turn loop needs from the preferences for one reply."""

    guidance: tuple[str, ...]  # -> PromptContext.guidance
    max_tokens: int  # -> GenerationOptions.max_tokens
    register_ko: str  # -> PromptContext.register_ko


def reply_shape(prefs: Preferences, language: str, *, default_max_tokens: int,
                default_register: str) -> ReplyShape:
    return ReplyShape(preference_guidance(prefs, language), max_tokens_for(prefs, default_max_tokens),
                      register_for(prefs, default_register))


_LENGTH_LINES = {
    "very_short": "They asked for brevity: answer in one short sentence, under 20 words.",
    "short": "Keep replies short: two sentences at most.",
    "long": "They like fuller replies; a few unhurried paragraphs are welcome.",
}
_HUMOUR_LINES = {
    "less": "Do not joke or tease; keep a gentle, sincere tone.",
    "more": "Light, kind humour is welcome with them.",
}
_LISTENING_LINES = {
    "listen": "They want to be listened to: reflect what they say and ask about it; give no advice "
              "or suggestions unless they ask for them.",
    "advice": "They welcome practical suggestions: when it fits, offer one concrete idea.",
}


def preference_guidance(prefs: Preferences, language: str) -> tuple[str, ...]:
    """Lines for the system prompt (``PromptContext.guidance``), in English like the rest of it."""
    lines = [line for line in (_LENGTH_LINES.get(prefs.reply_length), _HUMOUR_LINES.get(prefs.humour),
                               _LISTENING_LINES.get(prefs.advice_vs_listening)) if line]
    if language == "ko" and prefs.register_ko:
        speech = "반말 (casual speech)" if prefs.register_ko == "banmal" else "존댓말 (polite speech, -요)"
        lines.append(f"They asked you to speak to them in {speech}; keep to it in every sentence.")
    if prefs.address_as:
        lines.append(f"Address them as \"{prefs.address_as}\".")
    if prefs.never_call:
        lines.append("Never call them " + ", ".join(f"\"{n}\"" for n in prefs.never_call) + ".")
    if prefs.avoid_topics:
        lines.append("Do not bring up these topics unless they do: " + "; ".join(prefs.avoid_topics) + ".")
    if prefs.notes:
        # Quoted and labelled: a note is a wish about style, never an instruction that outranks the rules.
        lines.append("Their own notes on how they like to be talked to: "
                     + " | ".join(f"\"{n}\"" for n in prefs.notes[-3:]))
    return tuple(lines)


_DESCRIBE_EN = {
    "reply_length": {"very_short": "very short replies", "short": "short replies", "long": "longer replies"},
    "humour": {"less": "no jokes", "more": "more humour"},
    "advice_vs_listening": {"listen": "listening rather than advice", "advice": "practical suggestions"},
    "register_ko": {"banmal": "반말 (casual Korean)", "jondaetmal": "존댓말 (polite Korean)"},
}


def describe_preferences(prefs: Preferences) -> tuple[str, ...]:
    """"What I've learned about you": one plain line per learned preference, for the CLI and page."""
    lines = [f"You prefer {_DESCRIBE_EN[name][getattr(prefs, name)]}."
             for name in _DESCRIBE_EN if getattr(prefs, name) in _DESCRIBE_EN[name]]
    if prefs.address_as:
        lines.append(f"You like to be called \"{prefs.address_as}\".")
    if prefs.never_call:
        lines.append("You don't want to be called " + ", ".join(f"\"{n}\"" for n in prefs.never_call) + ".")
    if prefs.avoid_topics:
        lines.append("Topics to leave alone unless you raise them: " + ", ".join(prefs.avoid_topics) + ".")
    lines += [f"You told me: \"{note}\"" for note in prefs.notes]
    return tuple(lines)
