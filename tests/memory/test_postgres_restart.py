"""PostgreSQL restarted while turns are being written: no acknowledged turn is lost.

Three writers store turns as fast as they can while the server is stopped the hard
way (``immediate``: no checkpoint, recovery replays the WAL) and started again. While
it is down every write fails with ``store-unavailable`` and a hint; once it is back,
the same store objects write again without being reopened. Every turn whose
``add_turn`` returned is in the database afterwards.
"""
import asyncio
import threading
import time
import uuid

from kindred.database import open_database
from kindred.errors import StoreError
from kindred.memory.sql_store import SQLStore, open_sql_store

WRITERS = 3
DEADLINE_S = 90


class Writer(threading.Thread):
    def __init__(self, url: str, user: str, stop: threading.Event) -> None:
        super().__init__(daemon=True)
        self.url, self.user, self.stop = url, user, stop
        self.acknowledged: list[str] = []
        self.acknowledged_after_failure = 0
        self.failures: list[StoreError] = []
        self.unexpected: list[BaseException] = []

    def run(self) -> None:
        asyncio.run(self._write_until_stopped())

    async def _write_until_stopped(self) -> None:
        store = SQLStore(open_database(self.url))  # a connection each, as three processes have
        session = await store.session_for(self.user, gap_minutes=60)
        while not self.stop.is_set():
            turn_id = uuid.uuid4().hex
            try:
                await store.add_turn(user=self.user, session_id=session.id, turn_id=turn_id, role="user",
                                     text=f"턴 {len(self.acknowledged)}: still here", language="ko")
            except StoreError as exc:
                self.failures.append(exc)
                time.sleep(0.05)
                continue
            except BaseException as exc:  # anything but the coded error is a bug
                self.unexpected.append(exc)
                return
            self.acknowledged.append(turn_id)
            if self.failures:
                self.acknowledged_after_failure += 1
        await store.close()


def _wait_until(condition, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_restart_under_load_loses_no_acknowledged_turn(postgres_server):
    url = postgres_server.fresh_database_url()
    stop = threading.Event()
    writers = [Writer(url, f"writer-{n}", stop) for n in range(WRITERS)]
    for writer in writers:
        writer.start()
    try:
        _wait_until(lambda: all(len(w.acknowledged) >= 20 for w in writers), DEADLINE_S / 3)
        postgres_server.stop("immediate")
        _wait_until(lambda: all(w.failures for w in writers), DEADLINE_S / 3)
        postgres_server.start()
        _wait_until(lambda: all(w.acknowledged_after_failure >= 20 for w in writers), DEADLINE_S / 3)
    finally:
        stop.set()
        postgres_server.ensure_running()
        for writer in writers:
            writer.join(timeout=30)
    for writer in writers:
        assert not writer.unexpected, writer.unexpected
        assert {e.code for e in writer.failures} == {"store-unavailable"}
        assert all("connects again" in e.hint for e in writer.failures)

    check = open_sql_store(url)
    try:
        for writer in writers:
            stored = {row[0] for row in check.read("SELECT turn_id FROM turns WHERE user_id = ?", (writer.user,))}
            lost = set(writer.acknowledged) - stored
            assert not lost, f"{len(lost)} acknowledged turns of {writer.user} are gone"
    finally:
        asyncio.run(check.close())
