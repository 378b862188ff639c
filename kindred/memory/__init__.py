"""Memory: every turn kept verbatim, long-term memories made from them, and recall."""
from .records import StoredTurn
from .store import Store, open_store

__all__ = ["Store", "StoredTurn", "open_store"]
