"""Who owns a profile: the terminal, a web account, or both once the owner linked them.

Accounts and the terminal's profiles (``kindred chat --user NAME``) are one namespace of user ids.
The page may create an account only for a name with no data and not the terminal's own profile
(``kindred/server/accounts.py``); once made, the account owns that profile, and the terminal may
write to it only after ``kindred account link NAME``. Without this, anyone who signed up on the
page as a name the terminal had not used yet would later read what its owner typed there.
"""
from __future__ import annotations

from ..errors import ProfileOwnedError


def require_terminal_access(store, user: str) -> None:
    """Refuse (``profile-owned``) when ``user`` is a web account's profile that the owner has not linked."""
    rows = store.read("SELECT terminal_linked_at FROM accounts WHERE user_id = ?", (user,))
    if rows and rows[0][0] is None:
        raise ProfileOwnedError(
            f"The profile '{user}' belongs to an account made on the web page, so the terminal does not use it.",
            f"Use another name with --user; if that account is yours, run `kindred account link {user}`.")

