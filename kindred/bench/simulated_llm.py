"""A stand-in OpenAI-compatible server for load tests of Kindred's own serving tier.

It streams a fixed reply at a fixed pace and serves any number of requests at once, as a GPU
server with continuous batching does within its capacity. So `kindred bench load` measures
what Kindred adds (sockets, storage, recall, feelings, safety) rather than how fast this
machine's CPU runs a model; the GPU side is sized from tokens per turn (docs/deploy.md).

Run: ``python -m kindred.bench.simulated_llm --port 8090 --tokens 24 --token-ms 20``.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path

from ..dialogue.llm_server import LocalLLMServer

WORDS = ("I", " hear", " you", ".", " That", " sounds", " like", " a", " lot", " to", " carry", ",",
         " and", " I", "'m", " glad", " you", " told", " me", ".", " What", " feels", " heaviest", "?")


def create_app(tokens: int, token_s: float, first_token_s: float, record: Path | None = None):
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import JSONResponse, StreamingResponse
    from starlette.routing import Route

    async def models(request: Request) -> JSONResponse:
        return JSONResponse({"object": "list", "data": [{"id": "simulated", "object": "model"}]})

    async def chat(request: Request) -> StreamingResponse:
        body = await request.json()
        count = max(1, min(tokens, int(body.get("max_tokens") or tokens)))
        if record is not None:  # what Kindred asks per call, for sizing a real server (prompt_tokens.py)
            with record.open("a", encoding="utf-8") as out:
                out.write(json.dumps({"messages": body.get("messages", []), "max_tokens": body.get("max_tokens"),
                                      "json_schema": "response_format" in body}, ensure_ascii=False) + "\n")

        async def events():
            await asyncio.sleep(first_token_s)
            for index in range(count):
                if index:
                    await asyncio.sleep(token_s)
                delta = {"choices": [{"index": 0, "delta": {"content": WORDS[index % len(WORDS)]}}]}
                yield f"data: {json.dumps(delta)}\n\n"
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    return Starlette(routes=[Route("/v1/models", models), Route("/v1/chat/completions", chat, methods=["POST"])])


class SimulatedLLMServer(LocalLLMServer):
    """The stand-in as its own process, started and stopped like the real one."""

    def __init__(self, *, tokens: int = 24, token_ms: float = 20.0, first_token_ms: float = 80.0,
                 record: Path | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.model = "simulated"
        self.tokens, self.token_ms, self.first_token_ms = tokens, token_ms, first_token_ms
        self.record = record

    def command(self) -> list[str]:
        return [sys.executable, "-m", "kindred.bench.simulated_llm", "--port", str(self.port),
                "--tokens", str(self.tokens), "--token-ms", str(self.token_ms),
                "--first-token-ms", str(self.first_token_ms), *(["--record", str(self.record)] if self.record else [])]


def main(argv: list[str] | None = None) -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--tokens", type=int, default=24)
    parser.add_argument("--token-ms", type=float, default=20.0)
    parser.add_argument("--first-token-ms", type=float, default=80.0)
    parser.add_argument("--record", type=Path, help="append each request's messages to this JSON-lines file")
    args = parser.parse_args(argv)
    app = create_app(args.tokens, args.token_ms / 1000, args.first_token_ms / 1000, args.record)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", backlog=4096)


if __name__ == "__main__":
    main()
