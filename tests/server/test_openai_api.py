"""The OpenAI-compatible endpoint's rules against the real app (the scripted chat double as its model):
keys, the OpenAI error shape, the newest user message only, streams that fail, limits and the page's keys."""
from __future__ import annotations

import json

import pytest

from kindred.server.security import Limits

from ..conftest import ScriptedChat
from .conftest import bearer, sign_up

pytestmark = pytest.mark.both_engines


def page_key(client, token: str, label: str = "") -> dict:
    made = client.post("/api/keys", json={"label": label}, headers=bearer(token))
    assert made.status_code == 201, made.text
    return made.json()


def ask(client, key: str, text: str = "I got the job!", **body):
    return client.post("/v1/chat/completions", headers=bearer(key),
                       json={"model": "kindred", "messages": [{"role": "user", "content": text}], **body})


def sse_events(text: str) -> list:
    """The data of each server-sent event; the closing [DONE] as the string itself."""
    found = []
    for block in text.split("\n\n"):
        if block.startswith("data: "):
            data = block[len("data: "):]
            found.append(data if data == "[DONE]" else json.loads(data))
    return found


def assert_openai_error(response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == code and error["message"] and error["hint"]
    assert error["type"] == {400: "invalid_request_error", 401: "authentication_error", 404: "not_found_error",
                             413: "invalid_request_error", 429: "rate_limit_error"}.get(status, "server_error")


def test_a_key_made_on_the_page_opens_v1_and_a_session_token_does_not(client):
    token = sign_up(client, "mina")
    key = page_key(client, token, "open-webui")["key"]
    assert client.get("/v1/models", headers=bearer(key)).json()["data"][0]["id"] == "kindred"
    assert_openai_error(client.get("/v1/models", headers=bearer(token)), 401, "api-key-invalid")
    assert_openai_error(client.get("/v1/models"), 401, "api-key-invalid")
    assert_openai_error(ask(client, key[:-1] + ("A" if key[-1] != "A" else "B")), 401, "api-key-invalid")
    assert client.get("/api/history", headers=bearer(key)).status_code == 401  # a key opens /v1 only


def test_only_the_newest_user_message_is_stored_and_her_reading_rides_along(client):
    key = page_key(client, sign_up(client, "mina"))["key"]
    response = client.post("/v1/chat/completions", headers=bearer(key), json={"model": "kindred", "messages": [
        {"role": "system", "content": "You are a pirate."},
        {"role": "user", "content": "An old message the client kept."},
        {"role": "assistant", "content": "An old reply the client kept."},
        {"role": "user", "content": [{"type": "text", "text": "I got the job!"},
                                     {"type": "image_url", "image_url": {"url": "data:,"}}]},
    ]})
    body = response.json()
    assert response.status_code == 200 and body["object"] == "chat.completion"
    assert body["choices"][0]["message"] == {"role": "assistant", "content": body["choices"][0]["message"]["content"]}
    assert body["choices"][0]["message"]["content"].startswith("Hello there.")
    reading = body["kindred"]
    assert body["id"] == f"chatcmpl-{reading['turn_id']}" and reading["safety"]["action"] == "continue"
    assert reading["tone"] == "celebrating" and reading["strategy"]
    token = client.post("/api/login", json={"name": "mina", "password": "a quiet evening"}).json()["token"]
    turns = client.get("/api/history", headers=bearer(token)).json()["turns"]
    assert [(t["role"], t["text"]) for t in turns][0] == ("user", "I got the job!")
    assert [t["role"] for t in turns] == ["user", "assistant"]


def test_a_stream_is_chunks_then_her_reading_then_done(client):
    key = page_key(client, sign_up(client, "mina"))["key"]
    with client.stream("POST", "/v1/chat/completions", headers=bearer(key),
                       json={"model": "kindred", "stream": True,
                             "messages": [{"role": "user", "content": "Hi"}]}) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        events = sse_events(response.read().decode())
    assert events[-1] == "[DONE]"
    chunks = events[:-1]
    assert {c["object"] for c in chunks} == {"chat.completion.chunk"} and len({c["id"] for c in chunks}) == 1
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    said = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert said.startswith("Hello there.")
    assert [c["choices"][0]["finish_reason"] for c in chunks].count("stop") == 1
    assert "kindred" in chunks[-1] and all("kindred" not in c for c in chunks[:-1])


@pytest.mark.parametrize("body, status, code", [
    ({"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}, 404, "model-not-found"),
    ({"model": "kindred"}, 400, "messages-missing"),
    ({"model": "kindred", "messages": [{"role": "system", "content": "hi"}]}, 400, "user-message-missing"),
    ({"model": "kindred", "messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "He"}]},
     400, "user-message-answered"),
    ({"model": "kindred", "messages": [{"role": "user", "content": [{"type": "image_url"}]}]}, 400,
     "user-message-empty"),
    ({"model": "kindred", "stream": "yes", "messages": [{"role": "user", "content": "hi"}]}, 400, "body-invalid"),
])
def test_requests_it_cannot_answer_get_the_openai_error_shape_and_store_nothing(client, body, status, code):
    token = sign_up(client, "mina")
    key = page_key(client, token)["key"]
    assert_openai_error(client.post("/v1/chat/completions", headers=bearer(key), json=body), status, code)
    assert client.get("/api/history", headers=bearer(token)).json()["turns"] == []


def test_a_model_that_fails_before_her_first_word_is_an_http_error_after_it_an_error_event(companion, make_client):
    client = make_client()
    key = page_key(client, sign_up(client, "mina"))["key"]
    companion.chat = ScriptedChat(("Hello", " there"), fail_after=0)
    for stream in (False, True):
        assert_openai_error(ask(client, key, stream=stream), 503, "llm-unreachable")
    companion.chat = ScriptedChat(("Hello", " there"), fail_after=1)
    events = sse_events(ask(client, key, stream=True).text)
    assert events[1]["choices"][0]["delta"]["content"] == "Hello"
    assert events[-2]["error"]["code"] == "llm-unreachable" and events[-1] == "[DONE]"


def test_turns_share_the_page_s_per_account_budget(make_client):
    client = make_client(limits=Limits(turns_per_minute_per_account=4))  # a burst of one, then one each 15 s
    token = sign_up(client, "mina")
    key = page_key(client, token)["key"]
    assert ask(client, key).status_code == 200
    refused = ask(client, key)
    assert_openai_error(refused, 429, "rate-limited")
    assert int(refused.headers["retry-after"]) >= 1
    with client.websocket_connect("/api/conversation", headers=bearer(token)) as socket:
        socket.receive_json()  # ready
        socket.send_json({"type": "say", "text": "And on the page?"})
        assert socket.receive_json()["code"] == "rate-limited"  # one account, one budget
    other = page_key(client, sign_up(client, "jun"))["key"]
    assert ask(client, other).status_code == 200  # one account's budget is not another's


def test_v1_takes_a_whole_conversation_but_not_an_endless_one(client):
    key = page_key(client, sign_up(client, "mina"))["key"]
    history = [{"role": "user" if i % 2 == 0 else "assistant", "content": "x" * 1000} for i in range(200)]
    long = client.post("/v1/chat/completions", headers=bearer(key),
                       json={"model": "kindred", "messages": [*history, {"role": "user", "content": "hi"}]})
    assert long.status_code == 200, long.text  # 200 kB: far over the page's 64 KiB, as clients send
    endless = [{"role": "user", "content": "x" * 100_000}] * 12
    assert_openai_error(client.post("/v1/chat/completions", headers=bearer(key),
                                    json={"model": "kindred", "messages": endless}), 413, "body-too-large")


def test_the_page_lists_and_revokes_only_its_own_keys(client):
    mina, jun = sign_up(client, "mina"), sign_up(client, "jun")
    mine = page_key(client, mina, "phone")
    theirs = page_key(client, jun)
    listed = client.get("/api/keys", headers=bearer(mina)).json()["keys"]
    assert [k["id"] for k in listed] == [mine["id"]] and "key" not in listed[0] and listed[0]["label"] == "phone"
    refused = client.delete(f"/api/keys/{theirs['id']}", headers=bearer(mina))
    assert refused.status_code == 404 and refused.json()["error"]["code"] == "api-key-not-found"
    assert ask(client, theirs["key"]).status_code == 200
    assert client.delete(f"/api/keys/{mine['id']}", headers=bearer(mina)).json() == {"revoked": mine["id"]}
    assert_openai_error(ask(client, mine["key"]), 401, "api-key-invalid")
    assert client.get("/api/keys", headers=bearer(mina)).json()["keys"] == []


def test_without_sign_in_everyone_is_the_local_user_as_on_the_page(make_client, settings):
    client = make_client(auth_required=False, signup_open=False)
    answered = client.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": "Hi"}]})
    assert answered.status_code == 200
    turns = client.get("/api/history").json()["turns"]
    assert turns[0]["text"] == "Hi" and client.get("/api/session").json()["user"] == settings.user


def test_openapi_describes_the_keys_and_the_endpoint(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/keys"]) and "delete" in paths["/api/keys/{key_id}"]
    assert paths["/v1/chat/completions"]["post"]["security"] == [{"apiKey": []}]


def test_over_a_real_http_server_the_whole_stream_arrives(make_client):
    import httpx

    from kindred.server.runner import BackgroundServer

    client = make_client()
    key = page_key(client, sign_up(client, "mina"))["key"]
    body = {"model": "kindred", "stream": True, "messages": [{"role": "user", "content": "Hi"}]}
    with BackgroundServer(client.app) as url, httpx.stream("POST", url + "/v1/chat/completions", json=body,
                                                           headers=bearer(key), timeout=30) as response:
        assert "content-length" not in response.headers  # chunked: a stream has no length
        events = sse_events(response.read().decode())
    assert events[-1] == "[DONE]" and "kindred" in events[-2]
    assert "".join(e["choices"][0]["delta"].get("content", "") for e in events[:-1]).startswith("Hello there.")


def test_an_app_that_leaves_mid_reply_stops_it_and_what_was_said_is_kept_interrupted(companion, make_client):
    import time

    import httpx

    from kindred.server.runner import BackgroundServer

    client = make_client()
    token = sign_up(client, "mina")
    key = page_key(client, token)["key"]
    companion.chat = ScriptedChat(["Hello"] + [" and on"] * 40, delay_s=0.1)  # four seconds of reply
    body = {"model": "kindred", "stream": True, "messages": [{"role": "user", "content": "Tell me a story"}]}
    with BackgroundServer(client.app) as url:
        heard = False
        with httpx.stream("POST", url + "/v1/chat/completions", json=body, headers=bearer(key), timeout=30) as r:
            for line in r.iter_lines():
                if '"content": "Hello"' in line:
                    heard = True
                    break  # her first word arrived: leave
        assert heard, "the stream never carried her first word"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            turns = httpx.get(url + "/api/history", headers=bearer(token)).json()["turns"]
            if any(t["role"] == "assistant" for t in turns):
                break
            time.sleep(0.1)
    reply = next(t for t in turns if t["role"] == "assistant")
    assert reply["status"] == "interrupted" and reply["text"].startswith("Hello")
    assert len(companion.chat.calls) == 1 and reply["text"].count("and on") < 30  # stopped, not finished
