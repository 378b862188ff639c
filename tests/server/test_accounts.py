"""Sign-up, sign-in and tokens: argon2 hashes, same answer for a wrong name or password."""
from __future__ import annotations

import pytest

from kindred.server.accounts import AccountBook
from kindred.server.db import ServerDatabase

from .conftest import PASSWORD, bearer, sign_up

pytestmark = pytest.mark.both_engines


def test_login_with_the_right_password_gives_a_working_token(make_client):
    sign_up(make_client(), "mina")
    fresh = make_client()
    response = fresh.post("/api/login", json={"name": "mina", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    assert "httponly" in response.headers["set-cookie"].lower()
    assert "samesite=strict" in response.headers["set-cookie"].lower()
    assert make_client().get("/api/session", headers=bearer(token)).json()["user"] == "mina"
    assert fresh.get("/api/session").json()["user"] == "mina"  # by the cookie


def test_wrong_password_and_unknown_name_fail_alike(make_client):
    sign_up(make_client(), "mina")
    wrong = make_client().post("/api/login", json={"name": "mina", "password": "not the password"})
    unknown = make_client().post("/api/login", json={"name": "nobody", "password": PASSWORD})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_passwords_and_tokens_are_not_stored_in_the_clear(make_client, settings, engine):
    token = sign_up(make_client(), "mina")
    db = ServerDatabase(settings.database_location)
    if engine == "sqlite":  # the file itself, WAL included
        raw = settings.database_path.read_bytes()
        for wal in settings.database_path.parent.glob("*.db-wal"):
            raw += wal.read_bytes()
    else:  # every text column of the server's tables, as the server hands them out
        raw = repr(db.rows("SELECT * FROM accounts") + db.rows("SELECT * FROM auth_tokens")).encode()
    assert PASSWORD.encode() not in raw and token.encode() not in raw
    stored = db.rows("SELECT password_hash FROM accounts WHERE user_id = 'mina'")[0][0]
    assert stored.startswith("$argon2id$")


def test_weak_password_duplicate_and_bad_names_are_refused(client, make_client):
    assert client.post("/api/accounts", json={"name": "mina", "password": "short"}).json()["error"]["code"] \
        == "password-weak"
    sign_up(client, "mina")
    again = make_client().post("/api/accounts", json={"name": "mina", "password": PASSWORD})
    assert again.status_code == 400 and again.json()["error"]["code"] == "name-taken"
    bad = make_client().post("/api/accounts", json={"name": "../etc", "password": PASSWORD})
    assert bad.json()["error"]["code"] == "name-invalid"


def test_signup_cannot_claim_a_user_who_already_has_conversations(make_client, companion):
    import asyncio

    async def talk():
        return [e async for e in companion.turn("hello from the terminal")]

    asyncio.run(talk())  # the CLI's local user now has data
    response = make_client().post("/api/accounts", json={"name": companion.settings.user, "password": PASSWORD})
    assert response.json()["error"]["code"] == "name-taken"
    db = ServerDatabase(companion.settings.database_location)
    AccountBook(db).create(companion.settings.user, PASSWORD, linked=True)  # the CLI may


def _terminal(monkeypatch, *argv: str) -> int:
    """`kindred ARGV` as typed in the terminal, on the scripted chat double instead of a loaded model."""
    import kindred.runtime
    from kindred.cli import main

    from ..conftest import ScriptedChat

    monkeypatch.setattr(kindred.runtime, "open_chat_model", lambda *a, **k: ScriptedChat(("Noted", ".")))
    monkeypatch.setattr(kindred.runtime, "open_emotion_reader", lambda: None)
    return main(list(argv))


def _history(client, token: str) -> list[str]:
    return [t["text"] for t in client.get("/api/history", headers=bearer(token)).json()["turns"]]


def test_signup_cannot_take_the_terminals_own_profile_before_it_is_used(make_client, settings):
    """On a fresh install the terminal's user has no rows yet; its name is still not the page's to give."""
    response = make_client().post("/api/accounts", json={"name": settings.user, "password": PASSWORD})
    assert response.status_code == 400 and response.json()["error"]["code"] == "name-taken"
    assert "kindred account link" in response.json()["error"]["hint"]


def test_terminal_never_writes_into_a_profile_made_on_the_page(make_client, monkeypatch, capsys):
    client = make_client()
    token = sign_up(client, "mina")  # a name the terminal has not used yet
    code = _terminal(monkeypatch, "chat", "--once", "my bank PIN hint is my cat's birthday", "--user", "mina")
    assert code == 2 and "profile-owned" in capsys.readouterr().err
    assert _history(client, token) == []  # the page's mina never sees the terminal's words
    # The owner says the account is theirs: from then on the terminal may use the profile.
    assert _terminal(monkeypatch, "account", "link", "mina") == 0
    assert _terminal(monkeypatch, "chat", "--once", "hello again", "--user", "mina") == 0
    assert "hello again" in _history(client, token)


def test_the_owner_links_a_terminal_profile_with_data_to_a_new_account(make_client, monkeypatch):
    assert _terminal(monkeypatch, "chat", "--once", "the spare key is under the pot", "--user", "alice") == 0
    client = make_client()
    refused = client.post("/api/accounts", json={"name": "alice", "password": PASSWORD})
    assert refused.json()["error"]["code"] == "name-taken"
    monkeypatch.setenv("KINDRED_PASSWORD", PASSWORD)
    assert _terminal(monkeypatch, "account", "link", "alice") == 0
    token = client.post("/api/login", json={"name": "alice", "password": PASSWORD}).json()["token"]
    assert "the spare key is under the pot" in _history(client, token)
    assert _terminal(monkeypatch, "chat", "--once", "still mine", "--user", "alice") == 0  # linked: both may


def test_signup_closed_is_refused(make_client):
    response = make_client(signup_open=False).post("/api/accounts", json={"name": "mina", "password": PASSWORD})
    assert response.status_code == 400 and response.json()["error"]["code"] == "signup-closed"


def test_no_auth_mode_is_the_local_user(make_client, settings):
    client = make_client(auth_required=False, signup_open=False)
    assert client.get("/api/session").json()["user"] == settings.user
    with client.websocket_connect("/api/conversation") as socket:
        assert socket.receive_json()["user"] == settings.user
