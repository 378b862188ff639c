"""The tests' PostgreSQL server: kindred.database.loopback_postgres, which `kindred bench load --replicas`
starts too (replicas sharing one PostgreSQL, as deployed)."""
from kindred.database.loopback_postgres import LoopbackServer, Unavailable, find_binaries

__all__ = ["LoopbackServer", "Unavailable", "find_binaries"]
