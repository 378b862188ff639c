"""A real reverse proxy in front of the load bench's replicas: nginx, started from a generated config.

As deployed (docs/deploy.md): one address for everyone, WebSockets upgraded and passed through
unbuffered, each new connection to the replica with the fewest open ones, and the person's own
address in X-Forwarded-For, which the replicas honour from this proxy only (``--trusted-proxy``).
Everything nginx writes (config, pid, logs, temp files) stays in the bench's temporary folder, so it
runs without root paths; Debian's /usr/sbin/nginx unless ``KINDRED_NGINX`` names another.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import httpx

from ..dialogue.llm_server import free_loopback_port
from ..errors import BackendUnavailableError

DEBIAN_NGINX = "/usr/sbin/nginx"
PROXY_ADDRESS = "127.0.0.1"  # what the replicas see as the connecting peer, and trust

CONFIG = """\
worker_processes 1;
daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 8192; }}
http {{
    access_log off;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    upstream kindred {{
        least_conn;
{servers}
        keepalive 64;
    }}
    server {{
        listen {address}:{port} backlog=4096;
        location / {{
            proxy_pass http://kindred;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_buffering off;
            proxy_read_timeout 600s;
        }}
    }}
}}
"""


def nginx_binary() -> str:
    chosen = os.environ.get("KINDRED_NGINX") or DEBIAN_NGINX
    if not (Path(chosen).exists() or shutil.which(chosen)):
        raise BackendUnavailableError(f"No nginx at {chosen} for the bench's reverse proxy.",
                                      "Install it (apt-get install nginx-light) or set KINDRED_NGINX to one.",
                                      code="bench-proxy-missing")
    return chosen


def proxy_config(root: Path, port: int, upstreams: list[str]) -> str:
    servers = "\n".join(f"        server {url.split('//', 1)[1]};" for url in upstreams)
    return CONFIG.format(root=root, port=port, servers=servers, address=PROXY_ADDRESS)


class ReverseProxy:
    """``with ReverseProxy(folder, [replica urls]) as url:`` nginx on a free loopback port."""

    def __init__(self, folder: Path, upstreams: list[str], *, start_timeout_s: float = 120.0) -> None:
        self.root = Path(folder)
        self.upstreams = upstreams
        self.port = free_loopback_port()
        self.url = f"http://{PROXY_ADDRESS}:{self.port}"
        self.start_timeout_s = start_timeout_s
        self.process: subprocess.Popen | None = None

    def start(self) -> str:
        self.root.mkdir(parents=True, exist_ok=True)
        config = self.root / "nginx.conf"
        config.write_text(proxy_config(self.root, self.port, self.upstreams), encoding="utf-8")
        log = (self.root / "nginx.out").open("ab")
        self.process = subprocess.Popen([nginx_binary(), "-p", str(self.root), "-c", str(config)],
                                        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        deadline = time.monotonic() + self.start_timeout_s
        while time.monotonic() < deadline and self.process.poll() is None:
            try:
                if httpx.get(self.url + "/health", timeout=2.0).status_code == 200:
                    return self.url
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        self.stop()
        errors = (self.root / "error.log").read_text(errors="replace")[-1500:] if (self.root / "error.log").exists() \
            else ""
        raise BackendUnavailableError(f"nginx did not start on port {self.port}:\n{errors}",
                                      f"See {self.root}/error.log and {config}.", code="bench-proxy-failed")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()  # nginx's fast shutdown; its one worker goes with it
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
