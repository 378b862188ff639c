"""The page in a real browser: Debian chromium driven by playwright-core (see run.mjs).

Skipped locally when chromium or tests/browser/node_modules is missing; under CI
(the CI environment variable set) a missing browser is a failure, not a skip.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from kindred.memory.embedder import HashEmbedder
from kindred.memory.long_term import open_long_term_memory
from kindred.server import ServerOptions, create_app
from kindred.server.runner import BackgroundServer
from kindred.turn import Companion

from ..conftest import PROJECT_ROOT, ScriptedChat

HERE = Path(__file__).parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = PROJECT_ROOT / "artifacts" / "browser"


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing (apt-get install -y chromium)"
    if shutil.which("node") is None:
        return "node is missing"
    if not (HERE / "node_modules" / "playwright-core").is_dir():
        return "tests/browser/node_modules is missing (npm ci --prefix tests/browser)"
    return None


@pytest.fixture
def server_url(settings, store):
    chat = ScriptedChat(("Hello", " there", "."), delay_s=0.3)  # slow enough to press Stop mid-reply
    memory = open_long_term_memory(store, settings, embedder=HashEmbedder())  # the panel can edit and forget
    companion = Companion(settings=settings, chat=chat, store=store, memory=memory)
    app = create_app(companion, ServerOptions(),
                     password_hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    with BackgroundServer(app) as url:
        yield url


def test_page_in_chromium(server_url):
    missing = _missing()
    if missing and not os.environ.get("CI"):
        pytest.skip(missing)
    assert missing is None, missing
    env = {**os.environ, "BASE_URL": server_url, "ARTIFACTS_DIR": str(ARTIFACTS), "CHROMIUM_PATH": CHROMIUM}
    result = subprocess.run(["node", str(HERE / "run.mjs")], env=env, capture_output=True, text=True, timeout=300,
                            check=False)
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
