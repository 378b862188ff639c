"""The OpenAI-compatible backend, over httpx's mock transport and a closed local port."""
import json
import socket

import httpx
import pytest

from kindred.dialogue.chat_model import ChatMessage, GenerationOptions
from kindred.dialogue.openai_compat import OpenAICompatibleChat
from kindred.errors import BackendUnavailableError, PromptTooLongError

MESSAGES = [ChatMessage("user", "hi")]


def sse(*pieces: str) -> bytes:
    lines = [f"data: {json.dumps({'choices': [{'delta': {'content': p}}]})}\n\n" for p in pieces]
    return ("".join(lines) + "data: not json\n\n" + "data: [DONE]\n\n").encode()


async def collect(chat):
    return [p async for p in chat.stream(MESSAGES, GenerationOptions(max_tokens=5))]


async def test_streams_pieces_and_skips_malformed_chunks():
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen["body"] = json.loads(request.content)
        return httpx.Response(200, content=sse("Hel", "lo"))

    chat = OpenAICompatibleChat("http://llm.test/v1", "tiny", transport=httpx.MockTransport(handler))
    assert await collect(chat) == ["Hel", "lo"]
    assert seen["body"]["model"] == "tiny" and seen["body"]["stream"] is True


async def test_retries_a_busy_server_before_the_first_token():
    calls = []

    def handler(request):
        calls.append(1)
        return httpx.Response(503) if len(calls) < 2 else httpx.Response(200, content=sse("ok"))

    chat = OpenAICompatibleChat("http://llm.test/v1", transport=httpx.MockTransport(handler), retries=2)
    assert await collect(chat) == ["ok"]
    assert len(calls) == 2


async def test_http_error_names_the_problem():
    chat = OpenAICompatibleChat("http://llm.test/v1", transport=httpx.MockTransport(
        lambda r: httpx.Response(404, text="model not found")))
    with pytest.raises(BackendUnavailableError) as info:
        await collect(chat)
    assert "404" in info.value.message and info.value.code == "llm-http-error"


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def test_unreachable_server_gives_a_coded_error_with_a_fix():
    chat = OpenAICompatibleChat(f"http://127.0.0.1:{closed_port()}/v1", retries=1)
    with pytest.raises(BackendUnavailableError) as info:
        await collect(chat)
    assert info.value.code == "llm-unreachable" and "--llm-url" in info.value.hint


def test_a_url_that_is_not_http_is_refused():
    with pytest.raises(BackendUnavailableError):
        OpenAICompatibleChat("ftp://nowhere")


def test_backoff_grows_is_capped_and_jittered():
    import random

    from kindred.dialogue.openai_compat import MAX_BACKOFF_S, backoff_s

    rng = random.Random(7)
    for attempt, ceiling in ((1, 0.5), (2, 1.0), (3, 2.0), (8, MAX_BACKOFF_S)):
        waits = [backoff_s(attempt, 0.25, rng) for _ in range(200)]
        assert all(0 <= w <= ceiling for w in waits)
        assert max(waits) > 0.8 * ceiling and min(waits) < 0.2 * ceiling  # spread out: replicas do not retry together


async def test_a_failure_after_the_first_token_is_not_retried():
    calls = []

    def handler(request):
        calls.append(1)
        class Broken(httpx.AsyncByteStream):
            async def __aiter__(self):
                yield ("data: " + json.dumps({"choices": [{"delta": {"content": "Hal"}}]}) + "\n\n").encode()
                raise httpx.RemoteProtocolError("peer closed connection")

        return httpx.Response(200, stream=Broken())

    chat = OpenAICompatibleChat("http://llm.test/v1", transport=httpx.MockTransport(handler), retries=3)
    got = []
    with pytest.raises(BackendUnavailableError) as info:
        async for piece in chat.stream(MESSAGES, GenerationOptions(max_tokens=5)):
            got.append(piece)
    assert got == ["Hal"] and len(calls) == 1 and info.value.code == "llm-stream-broken"


@pytest.mark.parametrize("said", [
    "This model's maximum context length is 4096 tokens. However, you requested 25900 tokens.",  # vLLM
    '{"error": {"message": "the request exceeds the available context size, try increasing it"}}',  # llama.cpp
])
async def test_a_prompt_over_the_server_s_window_is_its_own_coded_error(said):
    """Not "backend unavailable, check --llm-model": the server is fine, the prompt is too long."""
    chat = OpenAICompatibleChat("http://llm.test/v1", transport=httpx.MockTransport(
        lambda r: httpx.Response(400, text=said)))
    with pytest.raises(PromptTooLongError) as info:
        await collect(chat)
    assert info.value.code == "prompt-too-long" and "context_tokens" in info.value.hint
