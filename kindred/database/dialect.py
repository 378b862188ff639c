"""What differs between SQLite and PostgreSQL in the SQL the domains write.

Everything else is written once: ``?`` placeholders (turned into ``%s`` for
psycopg), ``ON CONFLICT``, ``RETURNING``, ISO timestamps kept as TEXT so that
ordering and comparison are the same string comparison in both engines.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Dialect:
    name: str  # "sqlite" | "postgres"

    @property
    def is_postgres(self) -> bool:
        return self.name == "postgres"

    def greatest(self, left: str, right: str) -> str:
        """The larger of two values (SQLite's two-argument MAX is a scalar function; PostgreSQL spells it GREATEST)."""
        return f"GREATEST({left}, {right})" if self.is_postgres else f"MAX({left}, {right})"

    def key_lookup(self, column: str) -> str:
        """``column`` in a WHERE that should use the primary key rather than ``column``'s index.

        SQLite's planner picks the user's index for ``user_id = ? AND id IN (...)``, scanning
        all their rows; a unary ``+`` stops it. PostgreSQL plans this well on its own.
        """
        return column if self.is_postgres else f"+{column}"


SQLITE = Dialect("sqlite")
POSTGRES = Dialect("postgres")


@lru_cache(maxsize=1024)
def to_pyformat(sql: str) -> str:
    """``?`` placeholders to psycopg's ``%s`` (a literal ``%`` doubles). The project's SQL never
    puts ``?`` inside a string literal, so a plain replacement is exact."""
    return sql.replace("%", "%%").replace("?", "%s")
