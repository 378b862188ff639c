"""The database layer owns the schema: opening a store imports no domain above it (the web server
least of all), and a migration that fails says why with a coded error instead of a TypeError."""
import subprocess
import sys
import types

import pytest

from kindred.database import migrate as migrate_module
from kindred.database import open_database
from kindred.errors import StoreError

# Run in a fresh interpreter where the server extra's packages (and kindred.server itself) cannot
# be imported, as on a base install: opening and using a store must still work.
BASE_INSTALL = r"""
import importlib.abc, sys
BLOCKED = ("kindred.server", "starlette", "argon2", "uvicorn")
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.startswith(BLOCKED):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
sys.meta_path.insert(0, Block())
from kindred.memory.sql_store import open_sql_store
store = open_sql_store(sys.argv[1])
tables = {row[0] for row in store.database.read("SELECT name FROM sqlite_master WHERE type = 'table'")}
print(sorted(name for name in sys.modules if name.startswith("kindred.server")), "accounts" in tables)
"""


def test_a_store_opens_without_the_web_server(tmp_path):
    out = subprocess.run([sys.executable, "-c", BASE_INSTALL, str(tmp_path / "k.db")], capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "[] True"  # the accounts table is still made: a later `serve` finds it


def test_opening_a_database_imports_no_domain(tmp_path):
    code = ("import sys; from kindred.database import open_database; open_database(sys.argv[1]).close(); "
            "print(sorted({n.split('.')[1] for n in sys.modules if n.startswith('kindred.') and n.count('.') >= 1}))")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "k.db")], capture_output=True, text=True,
                         check=True).stdout
    # `import kindred` brings its light top level (settings, events, errors); kindred.privacy.keys is
    # where the passphrase comes from and imports nothing of Kindred's. No domain, no server.
    assert set(eval(out)) <= {"config", "config_choices", "database", "errors", "events", "privacy"}, out
    assert "database" in eval(out)


def test_a_failing_migration_is_a_coded_store_error(tmp_path, monkeypatch):
    broken = types.SimpleNamespace(MIGRATIONS=[("broken-0001", "CREATE TABLE memories (id INTEGER);")])
    monkeypatch.setattr(migrate_module, "SCHEMAS", (*migrate_module.SCHEMAS, broken))
    with pytest.raises(StoreError) as caught:
        open_database(tmp_path / "k.db")
    assert caught.value.code == "store-migration"
    assert "already exists" in str(caught.value)


def test_migration_ids_are_unique_and_the_core_tables_come_first():
    ids = [mid for mid, _ in migrate_module.migrations_for("sqlite")]
    assert len(ids) == len(set(ids))
    assert ids[0] == "core-0001"
