"""`python -m kindred.tools.layers` passes on the package, and fails on each breach it is there to catch."""
import subprocess
import sys
import textwrap
from pathlib import Path

from kindred.tools.layers import check

ROOT = Path(__file__).resolve().parents[2]


def test_the_package_keeps_its_layers():
    done = subprocess.run([sys.executable, "-m", "kindred.tools.layers"], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "kindred"
    for name, text in {"__init__.py": "", "database/__init__.py": "", "server/__init__.py": "",
                       "memory/__init__.py": "", **files}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text))
    return root


def _rules(root: Path) -> list[tuple[str, str, str]]:
    return [(breach.path.name, breach.rule, breach.what) for breach in check(root)]


def test_a_clean_tree_passes(tmp_path):
    root = _package(tmp_path, {
        "memory/sql_store.py": "class SQLStore:\n    def _read(self):\n        return self._db\n",
        "memory/book.py": "def f(store):\n    return store.read('SELECT 1')\n",
    })
    assert _rules(root) == []


def test_private_store_members_and_connections_outside_the_layer_are_caught(tmp_path):
    root = _package(tmp_path, {
        "memory/sql_store.py": "class SQLStore:\n    def _read(self):\n        self._ensure = 1\n",
        "memory/book.py": "def f(store):\n    store._ensure\n    return store._read('SELECT 1')\n",
        "memory/raw.py": "import sqlite3\n\ndef g(db):\n    return db._conn\n",
    })
    assert sorted(_rules(root)) == [
        ("book.py", "private-store-member", "reaches ._ensure"),
        ("book.py", "private-store-member", "reaches ._read"),
        ("raw.py", "connection-outside-storage", "reads ._conn"),
        ("raw.py", "driver-outside-storage", "imports sqlite3"),
    ]


def test_the_database_reaching_the_server_is_caught_however_it_imports(tmp_path):
    for source in ("from ..server import schema\n",
                   "def later():\n    from ..other import thing\n",  # through another module
                   "import importlib\nimportlib.import_module('kindred.server.schema')\n",
                   "SCHEMA_MODULES = ['kindred.server.schema']\n"):
        root = _package(tmp_path / str(abs(hash(source))), {
            "database/migrate.py": source, "server/schema.py": "", "other.py": "from .server import schema\n"})
        assert [rule for _, rule, _ in _rules(root)] == ["database-imports-server"], source


def test_a_connection_opened_per_call_is_caught_anywhere_but_the_engines_and_the_registry(tmp_path):
    root = _package(tmp_path, {
        "learning/raw.py": "import sqlite3\n\ndef f(path):\n    return sqlite3.connect(path)\n",
        "learning/aliased.py": "from psycopg import connect as dial\n\ndef f(url):\n    return dial(url)\n",
        "memory/sql_store.py": "from ..database import open_database\n\ndef f(path):\n    return open_database(path)\n",
        "recommend/tables.py": "from ..database import sqlite\n\ndef f(p):\n    return sqlite.SQLiteDatabase(p)\n",
        # What the rule asks for instead, and the engines' own opening, pass.
        "recommend/repo.py": "from ..database.handles import held\n\ndef f(p):\n    with held(p) as db:\n"
                             "        return db.read('SELECT 1')\n",
        "database/handles.py": "from .engine import open_database\n\ndef acquire(p):\n    return open_database(p)\n",
        "database/postgres.py": "def f(psycopg, url):\n    import psycopg\n    return psycopg.connect(url)\n",
    })
    opened = sorted((name, what.split(":")[0]) for name, rule, what in _rules(root)
                    if rule == "connection-opened-per-call")
    assert opened == [("aliased.py", "calls a driver's connect (dial)"), ("raw.py", "calls sqlite3…connect"),
                      ("sql_store.py", "calls open_database"), ("tables.py", "calls SQLiteDatabase")]
