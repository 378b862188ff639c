"""The OpenAI-compatible backend against a real server process on loopback (llama-cpp-python's)."""
from __future__ import annotations

import asyncio
import time

import pytest

from kindred.dialogue.chat_model import ChatMessage, GenerationOptions
from kindred.dialogue.openai_compat import OpenAICompatibleChat
from kindred.errors import BackendUnavailableError

from ..conftest import requires_llm_server

pytestmark = [pytest.mark.slow, requires_llm_server]

LONG_ASK = [ChatMessage("user", "Write a very long story about a lighthouse keeper, with many chapters.")]


def chat_for(server, **kwargs) -> OpenAICompatibleChat:
    return OpenAICompatibleChat(server.url, server.model, **kwargs)


async def test_streams_a_reply_and_reuses_one_pooled_connection(llm_server):
    chat = chat_for(llm_server)
    try:
        for _ in range(2):
            pieces = [p async for p in chat.stream([ChatMessage("user", "Say hello.")],
                                                   GenerationOptions(max_tokens=6, temperature=0.0))]
            assert pieces and "".join(pieces).strip()
        pool = chat._client._transport._pool  # the second turn went over the first turn's connection
        assert len(pool.connections) == 1
    finally:
        await chat.aclose()


async def test_closing_the_stream_makes_the_server_stop_generating(llm_server):
    chat = chat_for(llm_server)
    try:
        stream = chat.stream(LONG_ASK, GenerationOptions(max_tokens=1500, temperature=0.0))
        got = [await stream.__anext__() for _ in range(3)]
        assert len(got) == 3
        await stream.aclose()  # what a cancelled turn does
        deadline = time.monotonic() + 15
        while "Disconnected from client" not in llm_server.log_path.read_text(errors="replace"):
            assert time.monotonic() < deadline, "the server kept generating for a client that left"
            await asyncio.sleep(0.1)
        # The single-slot server is free again at once, not after 1500 tokens.
        started = time.monotonic()
        short = [p async for p in chat.stream([ChatMessage("user", "Hi")], GenerationOptions(max_tokens=2))]
        assert short and time.monotonic() - started < 10
    finally:
        await chat.aclose()


async def test_a_server_killed_mid_reply_is_a_coded_cut_off_error(llm_server):
    chat = chat_for(llm_server, retries=0)
    try:
        stream = chat.stream(LONG_ASK, GenerationOptions(max_tokens=1500, temperature=0.0))
        await stream.__anext__()
        llm_server.kill()
        with pytest.raises(BackendUnavailableError) as info:
            async for _ in stream:
                pass
        assert info.value.code == "llm-stream-broken" and "again" in info.value.hint
    finally:
        await chat.aclose()


async def test_retries_with_backoff_until_a_restarting_server_is_back(llm_server):
    llm_server.kill()
    chat = chat_for(llm_server, retries=10, backoff_base_s=0.5)  # jitter: enough tries to outlast a restart

    async def restart_soon():
        await asyncio.sleep(0.3)
        await asyncio.to_thread(llm_server.start)

    try:
        restarting = asyncio.create_task(restart_soon())
        pieces = [p async for p in chat.stream([ChatMessage("user", "Hi")], GenerationOptions(max_tokens=3))]
        await restarting
        assert pieces
    finally:
        await chat.aclose()
