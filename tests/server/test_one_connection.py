"""The server opens no connection of its own beside the companion's: its accounts, the preferences and
check-ins its routes change, and the turn loop all go through the store's one ``Database``."""
from __future__ import annotations

import pytest

from kindred.database.tables import Tables
from kindred.learning.feedback import load_preferences, set_preference
from kindred.server import ServerOptions, create_app

from .conftest import FAST_HASHER, TEST_HOSTS

pytestmark = pytest.mark.both_engines


def test_the_server_borrows_the_companions_connection_and_leaves_it_open(companion):
    app = create_app(companion, ServerOptions(allowed_hosts=TEST_HOSTS), password_hasher=FAST_HASHER)
    db = app.state.kindred.db
    assert db.database is companion.store.database
    with Tables(db) as tables:  # the learning and recommend domains reuse it too
        assert tables.read("SELECT COUNT(*) FROM accounts") == [(0,)]
    set_preference(db, "ana", "humour", "less")
    assert load_preferences(companion.store, "ana").humour == "less"  # written through the same handle
    db.close()  # borrowed: closing the server's handle must not close the companion's store
    assert companion.store.read("SELECT COUNT(*) FROM accounts") == [(0,)]

