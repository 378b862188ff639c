"""Looking for what should be gone: in every table, and in the raw bytes of the files."""
from __future__ import annotations

from pathlib import Path


def traces_of(store, needles: list[str]) -> dict[str, int]:
    """Rows of every table (virtual ones included) whose any column holds one of ``needles``.

    Used after a forget to prove nothing is left; a text column or a blob may hold a needle.
    """
    found: dict[str, int] = {}
    with store._lock:
        db = store._db
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            columns = [c[1] for c in db.execute(f'PRAGMA table_info("{table}")')]
            if not columns:
                continue
            hits = 0
            for row in db.execute(f'SELECT {", ".join(f"quote({_ident(c)})" for c in columns)} FROM "{table}"'):
                text = " ".join(str(v) for v in row)
                blob_text = " ".join(_blob_text(v) for v in row)
                if any(n in text or n in blob_text for n in needles):
                    hits += 1
            if hits:
                found[table] = hits
    return found


def _ident(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _blob_text(quoted: object) -> str:
    """quote() writes a blob as X'..hex..'; decode it so a needle inside a blob is found too."""
    if isinstance(quoted, str) and quoted.startswith("X'") and quoted.endswith("'"):
        try:
            return bytes.fromhex(quoted[2:-1]).decode("utf-8", "ignore")
        except ValueError:
            return ""
    return ""


def raw_bytes(db_path: Path) -> bytes:
    """The database file and its write-ahead log, as they lie on disk."""
    return b"".join(p.read_bytes() for p in (db_path, db_path.with_name(db_path.name + "-wal")) if p.exists())
