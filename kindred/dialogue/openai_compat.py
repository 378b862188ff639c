"""Any OpenAI-compatible chat server: llama.cpp's server, vLLM, Ollama, ..."""
from __future__ import annotations

import asyncio
import json
import random
from collections.abc import AsyncIterator, Sequence

import httpx

from ..errors import BackendUnavailableError
from .chat_model import ChatMessage, GenerationOptions

RETRYABLE_STATUS = {429, 500, 502, 503, 504}


class OpenAICompatibleChat:
    backend = "openai-compatible"

    def __init__(self, base_url: str, model: str = "", *, api_key: str = "", timeout_s: float = 60.0,
                 connect_timeout_s: float = 5.0, retries: int = 2,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        if not base_url.startswith(("http://", "https://")):
            raise BackendUnavailableError(f"'{base_url}' is not an http(s) URL.",
                                          "Give --llm-url like http://127.0.0.1:8080/v1")
        self.base_url = base_url.rstrip("/")
        self.model = model or "default"
        self.retries = retries
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        # One pooled client per backend: connections are reused across turns.
        self._client = httpx.AsyncClient(
            base_url=self.base_url, headers=headers, transport=transport,
            timeout=httpx.Timeout(timeout_s, connect=connect_timeout_s),
            limits=httpx.Limits(max_connections=64, max_keepalive_connections=16),
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

    async def stream(self, messages: Sequence[ChatMessage], options: GenerationOptions) -> AsyncIterator[str]:
        body = self._body(messages, options)
        attempt = 0
        while True:
            started = False
            try:
                async with self._client.stream("POST", "/chat/completions", json=body) as response:
                    if response.status_code in RETRYABLE_STATUS and attempt < self.retries:
                        raise httpx.HTTPStatusError("retryable", request=response.request, response=response)
                    if response.status_code >= 400:
                        text = (await response.aread()).decode("utf-8", "replace")[:300]
                        raise BackendUnavailableError(
                            f"The LLM server answered HTTP {response.status_code}: {text}",
                            "Check --llm-model names a model the server has.", code="llm-http-error")
                    async for line in response.aiter_lines():
                        piece = _sse_piece(line)
                        if piece is None:
                            continue
                        if piece is _END:
                            return
                        started = True
                        yield piece
                    return
            except (httpx.TransportError, httpx.HTTPStatusError) as exc:
                # Retry only before the first token: a half-spoken reply must not restart.
                if started or attempt >= self.retries:
                    raise self._unreachable(str(exc) or type(exc).__name__) from exc
                attempt += 1
                await asyncio.sleep(min(4.0, 0.25 * 2 ** attempt) * (0.5 + random.random()))


_END = object()


def _sse_piece(line: str) -> object:
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
