"""Issue 24: the official `openai` package against a real `kindred serve` on loopback.

Everything on the product path is real: `kindred serve` as its own process (safety classifier,
emotion reader, embedder and long-term memory as it loads them), accounts and keys made with the
CLI, and `kindred chat --once` for the terminal's side. The LLM is the load bench's stand-in server
(a fixed reply at a fixed pace) recording every prompt it is sent, so what reached the model can be
read: a memory Kindred recalled is in that account's prompt and nowhere in another's.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import httpx
import openai  # the dev extra pins it (pyproject.toml)
import pytest

from kindred.bench.simulated_llm import SimulatedLLMServer
from kindred.server.process import ServerProcess

pytestmark = pytest.mark.slow
# Rules-only memory extraction: each turn is one call to the stand-in, and a fact is kept as the turn ends.
ENV = {"KINDRED_MEMORY_EXTRACTION": "rules", "KINDRED_MAX_REPLY_TOKENS": "12", "KINDRED_TEMPERATURE": "0"}


def cli(home, *argv: str, password: str | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, **ENV, "KINDRED_HOME": str(home), **({"KINDRED_PASSWORD": password} if password else {})}
    env.pop("KINDRED_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "kindred", *argv], env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def new_key(home, user: str) -> tuple[str, str]:
    """A key made by `kindred keys create`: the key (alone on its line of stdout) and its id (said on stderr)."""
    made = cli(home, "keys", "create", "--user", user, "--label", "tests")
    assert made.returncode == 0, made.stderr
    lines = made.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("kindred-") and " " not in lines[0], made.stdout
    key_id = next(word for word in made.stderr.split() if word.startswith("key_"))
    return lines[0], key_id


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    home = tmp_path_factory.mktemp("openai-home")
    record = home / "llm-prompts.jsonl"
    for name in ("mina", "jun"):
        made = cli(home, "serve", "--add-account", name, password="a quiet evening")
        assert made.returncode == 0, made.stderr
    keys = {name: new_key(home, name)[0] for name in ("mina", "jun")}
    with SimulatedLLMServer(tokens=8, token_ms=5, first_token_ms=20, record=record,
                            log_path=home / "llm.log") as llm_url:
        with ServerProcess(home, llm_url=llm_url, llm_model="simulated", env=ENV) as server:
            yield {"home": home, "url": server.url, "llm_url": llm_url, "keys": keys, "record": record}


def client(served, user: str | None = None, *, key: str | None = None):
    return openai.OpenAI(base_url=served["url"] + "/v1", api_key=key or served["keys"][user], max_retries=0,
                         timeout=120)


def last_prompt(served) -> str:
    """What the model was last asked, as one text (every message's content)."""
    lines = served["record"].read_text(encoding="utf-8").splitlines()
    return "\n".join(str(m.get("content", "")) for m in json.loads(lines[-1])["messages"])


def kept(served, user: str, word: str) -> bool:
    """Whether the account's memories (the page's own list) hold ``word``: waits for the turn's memory work."""
    from kindred.config import load_settings
    from kindred.server.accounts import AccountBook
    from kindred.server.db import ServerDatabase

    db = ServerDatabase(load_settings(env={"KINDRED_HOME": str(served["home"])}).database_location)
    try:
        token = AccountBook(db).issue_token(user)
    finally:
        db.close()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        items = httpx.get(served["url"] + "/api/memories", headers={"authorization": f"Bearer {token}"}).json()
        if any(word in item["text"] and item["kind"] != "turn" for item in items["items"]):
            return True
        time.sleep(0.5)
    return False


def test_models_lists_kindred(served):
    assert [m.id for m in client(served, "mina").models.list().data] == ["kindred"]


def test_a_whole_reply_and_a_streamed_one_are_kindreds_turns(served):
    whole = client(served, "mina").chat.completions.create(
        model="kindred", messages=[{"role": "system", "content": "You are a pirate."},
                                   {"role": "user", "content": "I finally finished my thesis today!"}])
    text = whole.choices[0].message.content
    reading = whole.model_extra["kindred"]
    assert text.startswith("I hear you.") and whole.choices[0].finish_reason == "stop"  # the stand-in's words
    assert reading["safety"]["action"] == "continue" and reading["strategy"] and reading["tone"]
    assert reading["feeling"]["label"] and reading["finish"] == "stop"

    pieces, last = [], None
    with client(served, "mina").chat.completions.create(
            model="kindred", stream=True, messages=[{"role": "user", "content": "Tell me about your day."}]) as stream:
        for part in stream:
            last = part
            if part.choices and part.choices[0].delta.content:
                pieces.append(part.choices[0].delta.content)
    assert len(pieces) > 3 and "".join(pieces).startswith("I hear you.")
    assert last.choices[0].finish_reason == "stop" and last.model_extra["kindred"]["turn_id"] in last.id


def test_a_crisis_message_gets_the_crisis_reply_and_the_model_is_not_asked(served):
    from kindred.config import load_settings
    from kindred.safety.crisis import assess
    from kindred.safety.crisis_reply import crisis_reply

    said = "I want to kill myself tonight. I have the pills ready."
    prompts_before = len(served["record"].read_text(encoding="utf-8").splitlines())
    for stream in (False, True):
        response = client(served, "jun").chat.completions.create(
            model="kindred", stream=stream, messages=[{"role": "user", "content": said}])
        if stream:
            parts = list(response)
            text = "".join(p.choices[0].delta.content or "" for p in parts if p.choices)
            reading = parts[-1].model_extra["kindred"]
        else:
            text, reading = response.choices[0].message.content, response.model_extra["kindred"]
        assert text == crisis_reply(assess(said), "en", load_settings().locale)
        assert reading["finish"] == "crisis" and reading["safety"]["action"] == "crisis_reply"
    assert len(served["record"].read_text(encoding="utf-8").splitlines()) == prompts_before


def test_user_b_cannot_reach_user_a_s_memories(served):
    client(served, "mina").chat.completions.create(
        model="kindred", messages=[{"role": "user", "content": "My cat is called Zorblax."}])
    assert kept(served, "mina", "Zorblax")
    # The same words as mina's memory, asked with jun's key: the best match anyone's memory could give.
    asked = client(served, "jun").chat.completions.create(
        model="kindred", messages=[{"role": "user", "content": "What is my cat called?"}])
    assert all("Zorblax" not in m["text"] for m in asked.model_extra["kindred"]["recalled"])
    assert "Zorblax" not in last_prompt(served)
    again = client(served, "mina").chat.completions.create(
        model="kindred", messages=[{"role": "user", "content": "What do you remember about my cat?"}])
    assert any("Zorblax" in m["text"] for m in again.model_extra["kindred"]["recalled"])
    assert "Zorblax" in last_prompt(served)  # the same question of mina's reaches the model with it


def test_a_revoked_key_is_refused(served):
    by_id, by_key = new_key(served["home"], "jun"), new_key(served["home"], "jun")
    for key, _ in (by_id, by_key):
        assert client(served, key=key).chat.completions.create(
            model="kindred", messages=[{"role": "user", "content": "Are you there?"}]).choices[0].message.content
    listed = json.loads(cli(served["home"], "keys", "list", "--user", "jun", "--json").stdout)["keys"]
    assert {by_id[1], by_key[1]} <= {k["id"] for k in listed if k["last_used_at"]}
    assert cli(served["home"], "keys", "revoke", by_id[1]).returncode == 0
    assert cli(served["home"], "keys", "revoke", by_key[0]).returncode == 0
    for key, _ in (by_id, by_key):
        with pytest.raises(openai.AuthenticationError) as refused:
            client(served, key=key).chat.completions.create(
                model="kindred", messages=[{"role": "user", "content": "Are you still there?"}])
        assert refused.value.status_code == 401 and refused.value.code == "api-key-invalid"
    assert client(served, "jun").models.list().data  # jun's first key still works


def test_a_memory_made_here_is_recalled_in_kindred_chat_and_the_other_way_round(served):
    client(served, "mina").chat.completions.create(
        model="kindred", messages=[{"role": "user", "content": "My sister is called Quillan."}])
    assert kept(served, "mina", "Quillan")
    chat = cli(served["home"], "chat", "--once", "What is my sister called?", "--json", "--user", "mina",
               "--llm-url", served["llm_url"], "--llm-model", "simulated")
    assert chat.returncode == 0, chat.stderr
    events = [json.loads(line) for line in chat.stdout.splitlines()]
    recalled = next(e for e in events if e["event"] == "recalled")["memories"]
    assert any("Quillan" in m["text"] for m in recalled), recalled

    told = cli(served["home"], "chat", "--once", "My dog is called Brindleton.", "--user", "mina",
               "--llm-url", served["llm_url"], "--llm-model", "simulated")
    assert told.returncode == 0, told.stderr
    asked = client(served, "mina").chat.completions.create(
        model="kindred", messages=[{"role": "user", "content": "What is my dog's name?"}])
    assert any("Brindleton" in m["text"] for m in asked.model_extra["kindred"]["recalled"])
    assert "Brindleton" in last_prompt(served)
