"""The socket, ``--json`` and ``--log-events`` write the same typed events through one serialiser.

Before, the socket sent eleven hand-built dicts beside the typed turn events, and no event was
logged anywhere. Here a conversation over the real socket is logged, and every line of the log
reads back as a typed event and is the very message the page received.
"""
from __future__ import annotations

import json

from starlette.testclient import TestClient

from kindred.events import EVENT_TYPES, Failed, Ready, RunEnded, RunStarted, event_from_dict, serialize
from kindred.events.log import EventLog
from kindred.server import ServerOptions, create_app

from .conftest import FAST_HASHER, PAGE_ORIGIN, TEST_HOSTS, bearer, say, sign_up


def test_what_the_page_receives_is_what_the_log_keeps(companion, tmp_path):
    log = EventLog(tmp_path / "logs" / "events.jsonl")
    app = create_app(companion, ServerOptions(allowed_hosts=TEST_HOSTS), password_hasher=FAST_HASHER, event_log=log)
    client = TestClient(app, headers={"origin": PAGE_ORIGIN})
    token = sign_up(client, "ana")
    with client.websocket_connect("/api/conversation", headers=bearer(token)) as socket:
        received = [socket.receive_json()]  # ready
        received += say(socket, "hello there")
        socket.send_json({"type": "mystery"})
        received.append(socket.receive_json())
    log.close()

    lines = (tmp_path / "logs" / "events.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line) for line in lines] == received  # same events, same shapes, same order
    events = [event_from_dict(json.loads(line)) for line in lines]
    assert all(type(e) in EVENT_TYPES.values() for e in events)
    assert [serialize(e) for e in events] == lines  # one serialiser: reading back and writing again is exact
    kinds = [e.kind for e in events]
    assert isinstance(events[0], Ready) and isinstance(events[1], RunStarted)
    assert kinds[1:6] == ["start", "heard", "recalled", "safety", "chose"] and kinds[-3:] == ["reply", "done", "error"]
    assert set(kinds[6:-3]) == {"token"}
    assert isinstance(events[-2], RunEnded) and events[-2].outcome == "replied"
    assert isinstance(events[-1], Failed) and (events[-1].stage, events[-1].code) == ("server", "message-unknown")
    assert len({e.turn_id for e in events[1:-1]}) == 1  # the run's events share its id
