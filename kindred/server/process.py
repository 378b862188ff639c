"""`kindred serve` as a child process on a loopback port: one replica, for the load bench and fault tests.

Several of these over one KINDRED_HOME are replicas sharing a database, as in a deployment
behind a load balancer; ``kill()`` ends one the way a crashed machine would.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from ..dialogue.llm_server import free_loopback_port, kill_group, stop_group
from ..errors import BackendUnavailableError


class ServerProcess:
    def __init__(self, home: Path, *, llm_url: str = "", llm_model: str = "", model: str = "",
                 workers: int = 1, port: int | None = None, env: dict[str, str] | None = None,
                 log_path: Path | None = None, start_timeout_s: float = 180.0,
                 extra_args: tuple[str, ...] = ()) -> None:
        self.home = Path(home)
        self.port = port or free_loopback_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.args = ["--port", str(self.port), "--workers", str(workers)]
        if llm_url:
            self.args += ["--llm-url", llm_url, "--llm-model", llm_model]
        if model:
            self.args += ["--model", model]
        self.args += list(extra_args)  # --trusted-proxy behind the bench's proxy, --micro-batch, ...
        self.env = {**os.environ, "KINDRED_HOME": str(self.home), "PYTHONUNBUFFERED": "1", **(env or {})}
        self.log_path = log_path or self.home / f"serve-{self.port}.log"
        self.start_timeout_s = start_timeout_s
        self.process: subprocess.Popen | None = None

    def start(self) -> str:
        self.home.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen([sys.executable, "-m", "kindred", "serve", *self.args], env=self.env,
                                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + self.start_timeout_s
        while time.monotonic() < deadline and self.process.poll() is None:
            if self.health() is not None:
                return self.url
            time.sleep(0.25)
        self.stop()
        tail = self.log_path.read_text(errors="replace")[-1500:]
        raise BackendUnavailableError(f"`kindred serve` did not start on port {self.port}:\n{tail}",
                                      f"See {self.log_path}.", code="server-start-failed")

    def health(self) -> dict | None:
        try:
            response = httpx.get(self.url + "/health", timeout=2.0)
        except httpx.TransportError:
            return None
        return response.json() if response.status_code == 200 else None

    def kill(self) -> None:
        """SIGKILL to the whole process group: no clean shutdown, no goodbye to open sockets."""
        kill_group(self.process)

    def stop(self) -> None:
        stop_group(self.process, timeout=15)

    def __enter__(self) -> ServerProcess:
        self.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()
