"""Replicas share one SQLite file: no process may lose the locks that tell the others it is using the file.

POSIX drops all of a process's locks on a file when it closes any descriptor of it. When that
happened (reading the encryption header on every open), another process's closing connection
believed it was the last one, checkpointed and deleted the write-ahead log, and every later
commit of this process went to a deleted file: a replica's whole conversation vanished.
"""
import subprocess
import sys

from kindred.database import open_database

PEEK = "import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchall())"


def other_process(path, sql: str) -> str:
    return subprocess.run([sys.executable, "-c", PEEK, str(path), sql], check=True, capture_output=True,
                          text=True, timeout=60).stdout


def test_a_second_open_keeps_the_locks_so_another_process_cannot_delete_the_log(tmp_path, monkeypatch):
    monkeypatch.delenv("KINDRED_PASSPHRASE", raising=False)
    path = tmp_path / "shared.db"
    database = open_database(path)
    database.write("INSERT INTO users(id, created_at) VALUES ('ana', '2026-01-05')")
    open_database(path, migrate=False).close()  # a second connection in this process, closed at once
    assert "ana" in other_process(path, "SELECT id FROM users")  # it opens and closes the file too

    database.write("INSERT INTO users(id, created_at) VALUES ('ben', '2026-01-05')")
    assert path.with_name("shared.db-wal").exists()
    assert "ben" in other_process(path, "SELECT id FROM users")  # committed where everyone can read it
    database.close()
