"""The settings that take one of a fixed set of values, checked when settings load.

A value outside the set used to be accepted and quietly ignored (``locale = "en-GB"`` gave US
help lines, an unknown ``register_ko`` became 반말). Now it stops the program at start with a
coded ConfigError that names the allowed values and where to change it.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import ConfigError

if TYPE_CHECKING:
    from .config import Settings

# Each value with what it means, for the hint. Tests keep LOCALES in step with the crisis lines
# (safety/crisis_reply.HELPLINES) and REGISTERS with learning/preferences.REGISTERS.
LOCALES = {"auto": "from the language of each message: ko-KR for Korean, en-US otherwise",
           "en-US": "United States help lines", "en-GB": "United Kingdom help lines",
           "ko-KR": "South Korean help lines"}
REGISTERS = {"banmal": "반말, casual speech", "jondaetmal": "존댓말, polite speech"}
MEMORY_EXTRACTION = {"llm": "the chat model reads each turn for facts (rules as fallback)",
                     "rules": "rules only: instant, less thorough"}
CHOICES = {"locale": LOCALES, "register_ko": REGISTERS, "memory_extraction": MEMORY_EXTRACTION}


def check_choices(settings: Settings) -> None:
    """Raise ConfigError (code config-choice; timezone-unknown for a zone) for the first value outside its set."""
    for name, allowed in CHOICES.items():
        value = getattr(settings, name)
        if value not in allowed:
            listed = "; ".join(f"{option} ({meaning})" for option, meaning in allowed.items())
            raise ConfigError(f"Setting '{name}' is {value!r}, which is not one Kindred knows.",
                              f"Set {name} to one of: {listed}. {_where(settings, name)}", code="config-choice")
    _check_llm(settings)
    from .localtime import TimeZoneError, zone_named

    try:
        zone_named(settings.timezone)
    except TimeZoneError as exc:
        raise TimeZoneError(f"Setting 'timezone': {exc.message}", f"{exc.hint} {_where(settings, 'timezone')}") \
            from exc


def _check_llm(settings: Settings) -> None:
    from .dialogue.local_servers import LOCAL_SERVERS, shorthand_server
    from .models.packaged import PACKAGED_MODELS  # a table of names: no model is loaded

    llm = settings.llm.strip()
    if llm in PACKAGED_MODELS or llm.lower().endswith(".gguf") or shorthand_server(llm) is not None:
        return
    packaged = ", ".join(PACKAGED_MODELS)
    servers = ", ".join(f"{key}:NAME" for key in LOCAL_SERVERS)
    raise ConfigError(f"Setting 'llm' is {settings.llm!r}: neither a packaged model nor a .gguf file.",
                      f"Set llm to {packaged}, the path of a .gguf file, or a local server's model ({servers}; "
                      f"`kindred doctor` lists them); for another LLM server set llm_url instead. "
                      f"{_where(settings, 'llm')}", code="config-choice")


def _where(settings: Settings, name: str) -> str:
    return f"Change it in {settings.home / 'config.toml'} or KINDRED_{name.upper()}."
