"""Memory: every turn kept verbatim, and what Kindred recalls from it."""
from .records import StoredTurn
from .store import Store, open_store

__all__ = ["Store", "StoredTurn", "open_store"]
