"""The page in chromium keeps its conversation when the replica behind it is killed.

Two real `kindred serve` processes share one database and one llama-cpp-python server; a
small TCP proxy on loopback stands in for the load balancer, sending each new connection to
the first replica that accepts it, as nginx does once a backend fails.
"""
from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from kindred.server.process import ServerProcess

from ..conftest import requires_llm_server
from .test_browser import CHROMIUM, HERE, _missing

pytestmark = [pytest.mark.slow, requires_llm_server]
REPLICA_ENV = {"KINDRED_MEMORY_EXTRACTION": "rules", "KINDRED_MAX_REPLY_TOKENS": "12", "KINDRED_TEMPERATURE": "0"}


class FirstLiveProxy:
    """Each new connection goes to the first backend port that accepts it; bytes are piped both ways."""

    def __init__(self, ports: list[int]) -> None:
        self.ports = ports
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except OSError:
            pass
        finally:
            writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for port in self.ports:
            try:
                upstream_reader, upstream_writer = await asyncio.open_connection("127.0.0.1", port)
                break
            except OSError:
                continue
        else:
            writer.close()
            return
        await asyncio.gather(self._pipe(reader, upstream_writer), self._pipe(upstream_reader, writer))

    def __enter__(self) -> FirstLiveProxy:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(asyncio.start_server(self._handle, sock=self.listener), self.loop).result()
        return self

    def __exit__(self, *exc_info) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=5)
        self.listener.close()


def test_the_page_reconnects_to_another_replica_and_continues(settings, llm_server):
    missing = _missing()
    if missing and not os.environ.get("CI"):
        pytest.skip(missing)
    assert missing is None, missing
    replicas = [ServerProcess(Path(settings.home), llm_url=llm_server.url, llm_model=llm_server.model,
                              env=REPLICA_ENV) for _ in range(2)]
    with replicas[0] as first, replicas[1] as second, FirstLiveProxy([first.port, second.port]) as proxy:
        env = {**os.environ, "BASE_URL": proxy.url, "CHROMIUM_PATH": CHROMIUM, "REPLICA_PID": str(first.process.pid)}
        result = subprocess.run(["node", str(HERE / "failover.mjs")], env=env, capture_output=True, text=True,
                                timeout=600, check=False)
        assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
        assert first.process.poll() is not None and second.health() is not None  # the first one really died
