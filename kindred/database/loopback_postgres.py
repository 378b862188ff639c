"""A real PostgreSQL server on loopback, in a temporary directory: for the tests, and for
`kindred bench load --replicas N`, whose replicas share one PostgreSQL as a deployment's do.

Binaries, first found: $KINDRED_TEST_POSTGRES_BIN; the ``pgserver`` wheel's bundled
PostgreSQL (it has pgvector); Debian's /usr/lib/postgresql/*/bin (no pgvector: the
numpy fallback is what gets tested then). PostgreSQL refuses to run as root, so as
root the server runs as a dedicated system user (created if missing), from a copy of
the binaries it can read. Each test gets its own schema, so tests never see each
other's rows and nothing has to be cleaned between them.
"""
from __future__ import annotations

import glob
import importlib.util
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path
from urllib.parse import quote

SERVER_USER = "kindred-pg"
ROLE = "kindred"
DATABASE = "kindred"
COMMAND_TIMEOUT_S = 600  # initdb took over 120 s on a machine busy with other work


class Unavailable(RuntimeError):
    pass


def find_binaries() -> Path:
    chosen = os.environ.get("KINDRED_TEST_POSTGRES_BIN")
    if chosen:
        return Path(chosen)
    spec = importlib.util.find_spec("pgserver")
    if spec and spec.origin:
        bundled = Path(spec.origin).parent / "pginstall" / "bin"
        if (bundled / "postgres").exists():
            return bundled
    debian = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"))
    if debian:
        return Path(debian[-1]).parent
    raise Unavailable("no PostgreSQL binaries: pip install pgserver, or apt-get install postgresql")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LoopbackServer:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="kindred-pg-"))
        try:
            self._set_up()
        except BaseException:
            self.close()  # a failed start leaves no server running and no folder behind
            raise

    def _set_up(self) -> None:
        self.running = False
        self.as_root = os.geteuid() == 0
        binaries = find_binaries()
        if self.as_root:
            _ensure_user(SERVER_USER)
            binaries = _readable_copy(binaries, self.root / "install")
            os.chmod(self.root, 0o755)
            subprocess.run(["chown", "-R", SERVER_USER, str(self.root)], check=True)
        self.bin = binaries
        self.data = self.root / "data"
        self.port = _free_port()
        self._run("initdb", "-D", str(self.data), "-U", ROLE, "--auth=trust", "-E", "UTF8", "--locale=C")
        self.start()
        self.admin(f"CREATE DATABASE {DATABASE}", database="postgres")
        try:
            self.admin("CREATE EXTENSION IF NOT EXISTS vector")
            self.has_pgvector = True
        except Exception:
            self.has_pgvector = False

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self.as_root:
            command = ["runuser", "-u", SERVER_USER, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S)
        if done.returncode != 0:
            raise Unavailable(f"{tool} failed: {done.stdout}\n{done.stderr}")

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c max_connections=300 "
                   "-c shared_buffers=32MB")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "server.log"), "-o", options, "-w",
                  "-t", str(int(COMMAND_TIMEOUT_S)), "start")
        self.running = True

    def ensure_running(self) -> None:
        """After a test that stops the server, whatever happened in it: the next tests need it up."""
        if not self.running:
            self.start()

    def stop(self, mode: str = "fast") -> None:
        """``immediate`` is a crash as far as the data is concerned: recovery replays the WAL."""
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")
        self.running = False

    def url(self, schema: str | None = None, database: str = DATABASE) -> str:
        base = f"postgresql://{ROLE}@127.0.0.1:{self.port}/{database}"
        return f"{base}?options={quote(f'-csearch_path={schema},public')}" if schema else base

    def admin(self, sql: str, database: str = DATABASE) -> None:
        import psycopg

        with psycopg.connect(self.url(database=database), autocommit=True) as conn:
            conn.execute(sql)

    def fresh_database_url(self) -> str:
        """A new, empty schema: a database of its own as far as Kindred can tell."""
        schema = f"t_{uuid.uuid4().hex[:12]}"
        self.admin(f"CREATE SCHEMA {schema}")
        return self.url(schema)

    def close(self) -> None:
        try:
            if self.running:
                self.stop("immediate")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


def _readable_copy(binaries: Path, into: Path) -> Path:
    """The venv may sit under /root, which the server's user cannot enter: run from a copy.

    The wheel's binaries find their libraries at ``$ORIGIN/../../../pgserver.libs``, so the copy keeps
    that layout. Binaries outside a wheel (Debian's, under /usr/lib) are readable as they are.
    """
    install = binaries.parent  # .../site-packages/pgserver/pginstall
    package = install.parent
    libraries = package.parent / f"{package.name}.libs"
    if not libraries.is_dir():
        return binaries
    shutil.copytree(install, into / package.name / install.name, symlinks=True)
    shutil.copytree(libraries, into / libraries.name, symlinks=True)
    return into / package.name / install.name / "bin"


def _ensure_user(name: str) -> None:
    try:
        pwd.getpwnam(name)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", name],
                       check=True)
