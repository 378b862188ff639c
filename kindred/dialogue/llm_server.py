"""A real OpenAI-compatible LLM server on loopback: llama-cpp-python's, over a packaged model.

Tests and ``kindred bench load`` use it to exercise the HTTP backend end to end, the same way
a deployment talks to vLLM or llama.cpp on another machine. It runs as its own process so it
can be killed mid-reply, as a real server can die.
"""
from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import httpx

from ..errors import BackendUnavailableError, MissingExtraError
from ..models import PACKAGED_MODELS

ALIAS = "kindred-small"


def kill_group(process: subprocess.Popen | None) -> None:
    """SIGKILL to a process started with its own session, and all its children."""
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def stop_group(process: subprocess.Popen | None, timeout: float) -> None:
    """SIGTERM to the group; SIGKILL if it has not gone after ``timeout`` seconds."""
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            kill_group(process)


def free_loopback_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def small_model_path() -> Path:
    """The packaged tiny model is a single file inside its package: no assembling needed."""
    return PACKAGED_MODELS["small"].part_paths()[0]


class LocalLLMServer:
    """``with LocalLLMServer() as url:`` gives ``http://127.0.0.1:PORT/v1``; ``kill()`` ends it at once."""

    def __init__(self, model_path: Path | None = None, *, context_tokens: int = 2048, threads: int = 1,
                 log_path: Path | None = None, port: int | None = None, start_timeout_s: float = 60.0) -> None:
        self.model_path = model_path
        self.port = port or free_loopback_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.model = ALIAS
        self.context_tokens = context_tokens
        self.threads = threads
        self.log_path = log_path
        self.start_timeout_s = start_timeout_s
        self.process: subprocess.Popen | None = None
        self._log: IO[bytes] | int | None = None  # the log file, subprocess.DEVNULL, or nothing started

    def command(self) -> list[str]:
        if importlib.util.find_spec("llama_cpp") is None or importlib.util.find_spec("fastapi") is None:
            raise MissingExtraError("llm-server", "llama_cpp.server", "A local OpenAI-compatible LLM server")
        self.model_path = self.model_path or small_model_path()
        # interrupt_requests off: by default a new request cuts off the one being streamed,
        # which would truncate replies whenever two users talk at once.
        return [sys.executable, "-m", "llama_cpp.server", "--model", str(self.model_path),
                "--model_alias", ALIAS, "--host", "127.0.0.1", "--port", str(self.port),
                "--n_ctx", str(self.context_tokens), "--n_threads", str(self.threads),
                "--interrupt_requests", "False", "--verbose", "False"]

    def start(self) -> str:
        command = self.command()
        self._log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT,
                                        env={**os.environ, "PYTHONUNBUFFERED": "1"}, start_new_session=True)
        deadline = time.monotonic() + self.start_timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if httpx.get(f"{self.url}/models", timeout=1.0).status_code == 200:
                    return self.url
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.stop()
        raise BackendUnavailableError(
            f"The local LLM server did not start on port {self.port}.",
            "Run the command by hand to see why: " + " ".join(command), code="llm-server-start-failed")

    def kill(self) -> None:
        """SIGKILL, as when the machine or the process dies: no goodbye to open connections."""
        kill_group(self.process)

    def stop(self) -> None:
        stop_group(self.process, timeout=10)
        if self._log is not None and not isinstance(self._log, int):  # an int is DEVNULL: nothing to close
            self._log.close()
        self._log = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
