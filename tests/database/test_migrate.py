"""One migration under concurrent opens, on both engines: replicas starting together over one new
database all come up, and each migration is applied exactly once."""
import threading

import pytest

from kindred.database import open_database
from kindred.database.migrate import migrations_for

pytestmark = pytest.mark.both_engines


def test_processes_opening_a_new_database_at_once_migrate_it_once(engine, locate):
    location = locate("shared.db")
    failures: list[BaseException] = []
    start_together = threading.Barrier(4)

    def open_and_close() -> None:
        try:
            start_together.wait()
            open_database(location).close()
        except BaseException as exc:  # collected: a thread's exception would otherwise vanish
            failures.append(exc)

    openers = [threading.Thread(target=open_and_close) for _ in range(4)]
    for opener in openers:
        opener.start()
    for opener in openers:
        opener.join(timeout=60)
    assert not failures, failures
    database = open_database(location)
    applied = [row[0] for row in database.read("SELECT id FROM schema_migrations")]
    database.close()
    assert sorted(applied) == sorted(mid for mid, _ in migrations_for(engine))
