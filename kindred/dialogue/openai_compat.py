"""Any OpenAI-compatible chat server: llama.cpp's server, vLLM, Ollama, ...

What a shared server needs from its client:
- one pooled ``httpx.AsyncClient`` per backend, so turns reuse warm connections;
- separate timeouts: connecting fails fast, while a read may wait for a busy GPU's queue;
- retries with exponential backoff and full jitter, so replicas do not retry in lock-step
  and hammer a server that is restarting; only before the first token, because a half-spoken
  reply must not start over;
- cancellation: when the turn stops (the user's socket closed, barge-in), the response is
  closed, which drops its connection, and the server stops generating for nobody.
"""
from __future__ import annotations

import asyncio
import json
import random
import re
from collections.abc import AsyncIterator, Sequence
from enum import Enum
from typing import Final, Literal

import httpx

from ..errors import BackendUnavailableError, PromptTooLongError
from .chat_model import ChatMessage, GenerationOptions

RETRYABLE_STATUS = {429, 500, 502, 503, 504}
MAX_BACKOFF_S = 4.0
# vLLM: "maximum context length is …"; llama.cpp's server: "exceeds the available context size".
_CONTEXT_FULL = re.compile(r"context (length|size|window)", re.IGNORECASE)


def backoff_s(attempt: int, base_s: float = 0.25, rng: random.Random | None = None) -> float:
    """How long to wait before retry ``attempt`` (1, 2, ...): exponential, capped, with full jitter."""
    ceiling = min(MAX_BACKOFF_S, base_s * 2 ** attempt)
    return ceiling * (rng or random).random()


class OpenAICompatibleChat:
    backend = "openai-compatible"

    def __init__(self, base_url: str, model: str = "", *, api_key: str = "", timeout_s: float = 60.0,
                 connect_timeout_s: float = 5.0, retries: int = 2, backoff_base_s: float = 0.25,
                 max_connections: int = 64, transport: httpx.AsyncBaseTransport | None = None) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise BackendUnavailableError(f"'{base_url}' is not an http(s) URL.",
                                          "Give --llm-url like http://127.0.0.1:8080/v1")
        self.base_url = base_url.rstrip("/")
        self.model = model or "default"
        self.retries = retries
        self.backoff_base_s = backoff_base_s
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        # read: the longest silence allowed between two chunks (the first one waits for the queue);
        # pool: how long a turn waits for a free connection when all are busy.
        self._client = httpx.AsyncClient(
            base_url=self.base_url, headers=headers, transport=transport,
            timeout=httpx.Timeout(timeout_s, connect=connect_timeout_s, pool=timeout_s),
            limits=httpx.Limits(max_connections=max_connections,
                                max_keepalive_connections=min(32, max_connections)),
        )

    async def aclose(self) -> None:
        await self._client.aclose()

    def _body(self, messages: Sequence[ChatMessage], options: GenerationOptions) -> dict[str, object]:
        body: dict[str, object] = {
            "model": self.model, "stream": True, "max_tokens": options.max_tokens,
            "temperature": options.temperature,
            "messages": [{"role": m.role, "content": m.content} for m in messages],
        }
        if options.stop:
            body["stop"] = list(options.stop)
        if options.json_schema is not None:
            body["response_format"] = {"type": "json_schema",
                                       "json_schema": {"name": "reply", "schema": options.json_schema}}
        return body

    def _unreachable(self, detail: str) -> BackendUnavailableError:
        return BackendUnavailableError(
            f"The LLM server at {self.base_url} did not answer: {detail}",
            "Start the server, or check --llm-url (it usually ends in /v1); drop --llm-url to use the embedded model.",
            code="llm-unreachable",
        )

    def _cut_off(self, detail: str) -> BackendUnavailableError:
        return BackendUnavailableError(
            f"The reply was cut off: the LLM server at {self.base_url} stopped answering ({detail}).",
            "Send your message again; if it keeps happening, check the LLM server's log.",
            code="llm-stream-broken",
        )

    async def stream(self, messages: Sequence[ChatMessage], options: GenerationOptions) -> AsyncIterator[str]:
        body = self._body(messages, options)
        attempt = 0
        while True:
            started = False
            try:
                # Leaving this block early (the consumer closed the generator, or the task was
                # cancelled) closes an unfinished response, and httpx drops its connection.
                async with self._client.stream("POST", "/chat/completions", json=body) as response:
                    if response.status_code in RETRYABLE_STATUS and attempt < self.retries:
                        raise httpx.HTTPStatusError("retryable", request=response.request, response=response)
                    if response.status_code >= 400:
                        text = (await response.aread()).decode("utf-8", "replace")[:300]
                        if response.status_code == 400 and _CONTEXT_FULL.search(text):
                            raise PromptTooLongError(
                                f"The prompt does not fit the LLM server's context window: {text}",
                                "Send a shorter message or start a new conversation; set context_tokens "
                                "(KINDRED_CONTEXT_TOKENS) to the server's window so prompts are cut to fit.")
                        raise BackendUnavailableError(
                            f"The LLM server answered HTTP {response.status_code}: {text}",
                            "Check --llm-model names a model the server has.", code="llm-http-error")
                    lines = response.aiter_lines()
                    async for line in lines:
                        piece = _sse_piece(line)
                        if piece is None:
                            continue
                        if piece is _END:
                            break
                        started = True
                        yield piece
                    await _drain(lines)
                    return
            except (httpx.TransportError, httpx.HTTPStatusError) as exc:
                detail = str(exc) or type(exc).__name__
                if started:
                    raise self._cut_off(detail) from exc
                if attempt >= self.retries:
                    raise self._unreachable(detail) from exc
                attempt += 1
                await asyncio.sleep(backoff_s(attempt, self.backoff_base_s))


class _Done(Enum):
    """[DONE]: a one-member enum rather than object(), so ``piece is _END`` narrows to the text pieces."""

    END = "end"


_END: Final = _Done.END
DRAIN_S = 1.0


async def _drain(lines: AsyncIterator[str]) -> None:
    """Read to the end of the body after [DONE]: only a finished response goes back to the pool
    for the next turn; an unfinished one is closed with its connection."""
    try:
        async with asyncio.timeout(DRAIN_S):
            async for _ in lines:
                pass
    except (TimeoutError, httpx.TransportError):
        pass


def _sse_piece(line: str) -> str | Literal[_Done.END] | None:
    if not line.startswith("data:"):
        return None
    data = line[5:].strip()
    if data == "[DONE]":
        return _END
    try:
        choice = json.loads(data)["choices"][0]
    except (ValueError, KeyError, IndexError, TypeError):
        return None  # a malformed chunk is skipped, not fatal
    delta = choice.get("delta") if isinstance(choice, dict) else None
    content = delta.get("content") if isinstance(delta, dict) else None
    return content if isinstance(content, str) and content else None
