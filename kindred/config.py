"""One settings object: defaults, then ``$KINDRED_HOME/config.toml``, then environment.

Environment variables are ``KINDRED_<FIELD>`` in upper case, e.g.
``KINDRED_LLM_URL=http://127.0.0.1:8080/v1``. ``KINDRED_HOME`` picks the data
directory (default ``~/.kindred``).

``KINDRED_PASSPHRASE`` (encryption at rest, see ``kindred.privacy``) is deliberately not a
setting: it is read from the environment only, because a key written in config.toml, beside
the database it protects, would protect nothing. Without it the database is plain SQLite.
"""
from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError


def default_home() -> Path:
    return Path(os.environ.get("KINDRED_HOME") or Path.home() / ".kindred").expanduser()


@dataclass(frozen=True)
class Settings:
    home: Path = field(default_factory=default_home)
    user: str = "local"
    # LLM: "embedded" (packaged default model), "small" (packaged tiny model), a path to a .gguf file,
    # or an OpenAI-compatible server via llm_url. "ollama:NAME", "llamacpp:NAME" and "lmstudio:NAME" are
    # shorthand for that server's usual loopback URL and the model NAME (dialogue/local_servers.py).
    llm: str = "embedded"
    llm_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    # A shared LLM server (llm_url): the longest wait for its next chunk, including the first one
    # behind a busy queue, and how often to retry before the first token (backoff with jitter).
    llm_timeout_s: float = 60.0
    llm_retries: int = 2
    llm_threads: int = 0  # 0: all cores
    context_tokens: int = 4096
    max_reply_tokens: int = 200
    temperature: float = 0.7
    register_ko: str = "banmal"  # banmal (반말) | jondaetmal (존댓말)
    locale: str = "auto"  # auto | en-US | en-GB | ko-KR: which crisis lines to give
    # The time zone of people who have not named theirs (an IANA name, "Asia/Seoul"); empty: this machine's.
    # A person's own zone (`kindred checkins tz`, or their browser's on the page) comes first.
    timezone: str = ""
    session_gap_minutes: int = 240
    max_input_chars: int = 8000
    history_turns: int = 6
    # How facts are pulled from each turn: "llm" (the chat model under a JSON schema, rules as fallback;
    # runs after the reply is shown) or "rules" (instant, less thorough).
    memory_extraction: str = "llm"
    persona_file: str = ""  # empty: $KINDRED_HOME/persona.txt, created from the default
    # Empty: SQLite in $KINDRED_HOME/kindred.db. A postgresql://user:password@host:port/db URL keeps
    # everything in PostgreSQL instead (pip install 'kindred[postgres]').
    database_url: str = field(default="", repr=False)  # may hold a password

    def __post_init__(self) -> None:
        from .config_choices import check_choices

        check_choices(self)  # here, so Settings(...) and with_overrides are checked as load_settings is
        self._expand_llm_shorthand()

    def _expand_llm_shorthand(self) -> None:
        """``llm = "ollama:NAME"`` becomes llm_url and llm_model, which open_chat_model and doctor read."""
        from .dialogue.local_servers import parse_shorthand

        server = parse_shorthand(self.llm)
        if server is None:
            return
        url, model = server
        if self.llm_url and self.llm_url.rstrip("/") != url:
            raise ConfigError(f"Setting 'llm' is {self.llm!r}, which is {url}, but llm_url is {self.llm_url!r}.",
                              "Keep one of them: the shorthand in llm, or llm_url with llm_model.",
                              code="config-llm-conflict")
        object.__setattr__(self, "llm_url", url)  # frozen: set once, while the object is being made
        object.__setattr__(self, "llm_model", model)

    @property
    def database_path(self) -> Path:
        return self.home / "kindred.db"

    @property
    def database_location(self) -> str | Path:
        """Where everything is stored: the PostgreSQL URL when set, else the SQLite file."""
        return self.database_url or self.database_path

    @property
    def models_dir(self) -> Path:
        return self.home / "models"

    @property
    def prefix_state_dir(self) -> Path:
        """Evaluated stable prefixes of the local model, saved between processes (see dialogue/prefix_cache)."""
        return self.home / "cache" / "prefix"

    @property
    def persona_path(self) -> Path:
        return Path(self.persona_file).expanduser() if self.persona_file else self.home / "persona.txt"

    def with_overrides(self, **changes: object) -> Settings:
        clean: dict[str, Any] = {k: v for k, v in changes.items() if v is not None}  # types: the caller's
        if "llm" in clean and "llm_url" not in clean and _is_shorthand(self.llm):
            clean |= {"llm_url": "", "llm_model": ""}  # the URL came from the shorthand being replaced
        return dataclasses.replace(self, **clean)


def _is_shorthand(llm: str) -> bool:
    from .dialogue.local_servers import shorthand_server

    return shorthand_server(llm) is not None


def _coerce(name: str, raw: object, target: type) -> object:
    try:
        if target is bool:
            return str(raw).lower() in {"1", "true", "yes", "on"}
        if target is Path:
            return Path(str(raw)).expanduser()
        return target(raw)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ConfigError(
            f"Setting '{name}' has an invalid value {raw!r}: {exc}",
            f"Give '{name}' a value of type {target.__name__} in config.toml or KINDRED_{name.upper()}.",
        ) from exc


def load_settings(env: dict[str, str] | None = None, **overrides: object) -> Settings:
    env = dict(os.environ if env is None else env)
    home = Path(env.get("KINDRED_HOME") or Path.home() / ".kindred").expanduser()
    values: dict[str, Any] = {}  # _coerce gives each value its field's type
    types = {f.name: (Path if f.name == "home" else type(f.default)) for f in dataclasses.fields(Settings)}
    config_file = home / "config.toml"
    if config_file.exists():
        try:
            data = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(
                f"{config_file} is not valid TOML: {exc}",
                "Fix the file or move it away; `kindred doctor` shows the settings in use.",
            ) from exc
        for key, raw in data.items():
            if key in ("passphrase", "database_passphrase", "key"):
                raise ConfigError(f"{config_file} holds a passphrase; a key stored beside the data protects nothing.",
                                  "Remove it from the file and set KINDRED_PASSPHRASE in the environment instead.",
                                  code="config-secret")
            if key not in types:
                raise ConfigError(f"Unknown setting '{key}' in {config_file}.",
                                  f"Known settings: {', '.join(sorted(types))}.")
            values[key] = _coerce(key, raw, types[key])
    for name, target in types.items():
        raw = env.get(f"KINDRED_{name.upper()}")
        if raw is not None and name != "home":
            values[name] = _coerce(name, raw, target)
    values["home"] = home
    given = {k: v for k, v in overrides.items() if v is not None}
    # The caller's (the command line's) way of naming a server replaces the other way from config or
    # environment: `--llm ollama:x` over a configured llm_url, `--llm-url` over a configured shorthand.
    if "llm" in given and _is_shorthand(str(given["llm"])) and "llm_url" not in given:
        values.pop("llm_url", None)
        values.pop("llm_model", None)
    if "llm_url" in given and "llm" not in given and _is_shorthand(str(values.get("llm", ""))):
        values.pop("llm")
    values.update(given)
    return Settings(**values)
