"""Issue 21, defect 4: `kindred serve` killed with SIGKILL mid-reply, then started again.

The README promises every stored user turn an assistant row. The process that would have written
"interrupted" is gone, so the restart writes it: opening the store answers what a crash left open.
The LLM is the load bench's stand-in server, slowed to a token every half second, so the kill
lands mid-reply every time.
"""
from __future__ import annotations

import json

import httpx
import pytest

from kindred.bench.simulated_llm import SimulatedLLMServer
from kindred.server.process import ServerProcess

from .test_replicas import REPLICA_ENV, conversation, token_for, turn

pytestmark = pytest.mark.slow


def test_kill_9_mid_reply_then_restart_leaves_every_user_turn_answered(settings, tmp_path):
    from websockets.exceptions import ConnectionClosed

    token = token_for(settings, "mina")
    with SimulatedLLMServer(tokens=24, token_ms=500, first_token_ms=50, log_path=tmp_path / "llm.log") as llm_url:
        server = ServerProcess(settings.home, llm_url=llm_url, llm_model="simulated", env=REPLICA_ENV)
        with server:
            with conversation(server.url, token) as socket:
                assert any(e["event"] == "reply" for e in turn(socket, "My cat is called Miso."))
                with pytest.raises(ConnectionClosed):  # SIGKILL while the reply streams
                    turn(socket, "What should Miso and I do today?", on_first_token=server.kill)
            server.process.wait(timeout=10)
            server.start()  # the same home, as after a reboot
            history = httpx.get(server.url + "/api/history", headers={"authorization": f"Bearer {token}"}).json()
    rows = history["turns"]
    replies = {t["turn_id"]: t for t in rows if t["role"] == "assistant"}
    said = [t for t in rows if t["role"] == "user"]
    assert [t["text"] for t in said] == ["My cat is called Miso.", "What should Miso and I do today?"]
    assert all(t["turn_id"] in replies for t in said), json.dumps(rows)
    assert replies[said[0]["turn_id"]]["status"] == "ok"
    assert replies[said[1]["turn_id"]]["status"] == "interrupted"
