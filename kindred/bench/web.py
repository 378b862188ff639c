"""Time from a message sent to its first streamed token, against the model's own, on both ways in:
the page's WebSocket and the OpenAI-compatible endpoint (``POST /v1/chat/completions``, streamed).

The server runs in this process on a free loopback port, over a throwaway
database, with sign-in on as deployed (a session token for the socket, an API
key looked up on every OpenAI request); a real WebSocket client and a plain
HTTP client send the prompts, taking turns, so both ways meet the same machine.
The model's own time to first token is the one the turn measures around
``chat.stream`` (in its reply event; in the ``kindred`` field of the endpoint's
last chunk), so each pair of figures comes from the same turn; their difference
is what the server adds: the key, storing the words, recall, the safety check,
prompt building, JSON and the socket or the HTTP stream.
"""
from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from ..config import load_settings
from ..dialogue.chat_model import ChatModel

PROMPTS = [
    "What should I cook for dinner tonight?",
    "요즘 무슨 책 읽어?",
    "Remember that I like green tea",
    "Tell me a long story",
]
TARGET_OVERHEAD_MS = 50.0
BENCH_USER = "bench"


def measure(chat: ChatModel, home: Path, turns: int, *, max_tokens: int = 24,
            with_emotion: bool = False) -> dict[str, list[dict[str, float]]]:
    """One warm-up turn each way, then ``turns`` measured turns over a real WebSocket (``"web"``) and as many
    streamed OpenAI requests (``"openai"``), alternating.

    ``with_emotion``: read feelings as ``kindred serve`` does (when the emotion model is installed).
    """
    import httpx
    from websockets.sync.client import connect
    from websockets.typing import Origin

    from ..memory.store import open_store
    from ..server import ServerOptions, create_app
    from ..server.runner import BackgroundServer
    from ..server.security import Limits
    from ..turn import Companion

    settings = load_settings(env={"KINDRED_HOME": str(home)}, max_reply_tokens=max_tokens, temperature=0.0)
    companion = Companion(settings=settings, chat=chat, store=open_store(settings),
                          emotion=_emotion_reader() if with_emotion else None)
    # Sign-in as deployed; the turn budget lifted, since one account here sends both ways' turns back to back
    # (a rate-limited turn would measure the limit, not the latency).
    unlimited = Limits(turns_per_minute_per_account=10**6, requests_per_minute_per_account=10**6)
    app = create_app(companion, ServerOptions(signup_open=False, limits=unlimited))
    token, key = _credentials(app)
    samples: dict[str, list[dict[str, float]]] = {"web": [], "openai": []}
    warmed_up = {"web": False, "openai": False}
    with BackgroundServer(app) as url, connect(url.replace("http", "ws", 1) + "/api/conversation", origin=Origin(url),
                                                additional_headers={"authorization": f"Bearer {token}"}) as socket, \
            httpx.Client(base_url=url, headers={"authorization": f"Bearer {key}"}, timeout=300) as http:
        json.loads(socket.recv())  # ready
        for index in range(3 * (turns + 1)):  # a safety-protocol reply never reaches the model: skipped
            text = PROMPTS[index % len(PROMPTS)]
            for way, sample in (("web", _one_turn(socket, text)), ("openai", _one_request(http, text))):
                if sample is not None and warmed_up[way] and len(samples[way]) < turns:
                    samples[way].append(sample)
                warmed_up[way] = warmed_up[way] or sample is not None
            if all(len(found) == turns for found in samples.values()):
                return samples
    counts = {way: len(found) for way, found in samples.items()}
    raise RuntimeError(f"only {counts} of {turns} turns reached the model (the rest were safety replies)")


def _credentials(app) -> tuple[str, str]:
    """An account with a session token (the page's socket) and an API key (the OpenAI endpoint), made as
    `kindred serve --add-account` and `kindred keys create` make them."""
    state = app.state.kindred
    state.accounts.create(BENCH_USER, "a bench account's password", linked=True)
    _, key = state.keys.create(BENCH_USER, "bench web")
    return state.accounts.issue_token(BENCH_USER), key


def _emotion_reader():
    from ..errors import KindredError
    from ..runtime import open_emotion_reader

    try:
        return open_emotion_reader()
    except KindredError:
        return None


def emotion_reader_available() -> bool:
    return _emotion_reader() is not None


def _one_turn(socket, text: str) -> dict[str, float] | None:
    started = time.perf_counter()
    socket.send(json.dumps({"type": "say", "text": text, "new_session": True}))
    heard = first = None
    model_ttft = None
    crisis = False
    while True:
        event = json.loads(socket.recv())
        now = time.perf_counter() - started
        if event["event"] == "heard" and heard is None:
            heard = now
        elif event["event"] == "token" and first is None:
            first = now
        elif event["event"] == "reply":
            if event["finish"] == "crisis":
                crisis = True
            model_ttft = event["time_to_first_token_s"]
        elif event["event"] == "error":
            raise RuntimeError(f"turn failed: {event}")
        elif event["event"] == "done":
            break
    if crisis:
        return None
    if first is None or model_ttft is None:
        raise RuntimeError("the reply streamed no token")
    return {"heard_s": heard or 0.0, "web_ttft_s": first, "model_ttft_s": model_ttft,
            "overhead_ms": (first - model_ttft) * 1000}


def _one_request(http, text: str) -> dict[str, float] | None:
    """One streamed chat.completions request: the time to its first chunk with words in it, and the model's own
    time to first token from the ``kindred`` field of its last chunk."""
    started = time.perf_counter()
    first = None
    reading: dict[str, Any] = {}
    body = {"model": "kindred", "stream": True, "messages": [{"role": "user", "content": text}]}
    with http.stream("POST", "/v1/chat/completions", json=body) as response:
        if response.status_code != 200:
            raise RuntimeError(f"request failed: {response.status_code} {response.read()[:300]!r}")
        for line in response.iter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            data = json.loads(line[len("data: "):])
            if "error" in data:
                raise RuntimeError(f"turn failed: {data['error']}")
            if first is None and data["choices"][0]["delta"].get("content"):
                first = time.perf_counter() - started
            reading = data.get("kindred", reading)
    if reading.get("finish") == "crisis":
        return None
    model_ttft = reading.get("time_to_first_token_s")
    if first is None or model_ttft is None:
        raise RuntimeError("the reply streamed no words")
    return {"openai_ttft_s": first, "model_ttft_s": model_ttft, "overhead_ms": (first - model_ttft) * 1000}


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def summarise(measured: dict[str, list[dict[str, float]]], model: str, load_s: float) -> dict[str, Any]:
    samples, requests = measured["web"], measured["openai"]
    overheads = sorted(s["overhead_ms"] for s in samples)
    p95 = _p95(overheads)
    openai_overheads = sorted(s["overhead_ms"] for s in requests)
    openai_p95 = _p95(openai_overheads)
    figures = {
        "web_ttft_median_s": round(statistics.median(s["web_ttft_s"] for s in samples), 4),
        "model_ttft_median_s": round(statistics.median(s["model_ttft_s"] for s in samples), 4),
        "web_overhead_median_ms": round(statistics.median(overheads), 2),
        "web_overhead_p95_ms": round(p95, 2),
        "web_overhead_max_ms": round(overheads[-1], 2),
        "heard_median_ms": round(statistics.median(s["heard_s"] for s in samples) * 1000, 2),
        "web_overhead_target_ms": TARGET_OVERHEAD_MS,
        "web_overhead_within_target": overheads[-1] <= TARGET_OVERHEAD_MS,
        "turns": len(samples),
        "openai_ttft_median_s": round(statistics.median(s["openai_ttft_s"] for s in requests), 4),
        "openai_model_ttft_median_s": round(statistics.median(s["model_ttft_s"] for s in requests), 4),
        "openai_overhead_median_ms": round(statistics.median(openai_overheads), 2),
        "openai_overhead_p95_ms": round(openai_p95, 2),
        "openai_overhead_max_ms": round(openai_overheads[-1], 2),
        "openai_overhead_target_ms": TARGET_OVERHEAD_MS,
        "openai_overhead_within_target": openai_p95 <= TARGET_OVERHEAD_MS,
        "openai_turns": len(requests),
        "load_s": round(load_s, 3),
    }
    rows = [[i + 1, s["web_ttft_s"], s["model_ttft_s"], s["overhead_ms"], s["heard_s"] * 1000]
            for i, s in enumerate(samples)]
    openai_rows = [[i + 1, s["openai_ttft_s"], s["model_ttft_s"], s["overhead_ms"]] for i, s in enumerate(requests)]
    return {
        "title": f"First token on the WebSocket and the OpenAI endpoint vs the model's own ({model})",
        "tables": [{"title": "WebSocket, per turn (seconds; overhead and 'heard' in milliseconds)",
                    "columns": ["turn", "web TTFT s", "model TTFT s", "overhead ms", "heard ms"], "rows": rows},
                   {"title": "OpenAI endpoint (/v1/chat/completions, streamed), per request (overhead in ms)",
                    "columns": ["request", "openai TTFT s", "model TTFT s", "overhead ms"], "rows": openai_rows}],
        "figures": figures,
        "notes": [(
            "web TTFT: from sending {type: say} on the WebSocket to receiving the first token event. "
            "model TTFT: measured by the same turn around the model's stream. overhead = web - model: storing the "
            "words, recall, safety, prompt building, JSON and the socket; 'heard' is when the stored words are "
            f"echoed back. Target: overhead at most {TARGET_OVERHEAD_MS:.0f} ms (max over turns). "
            "Server and client share this process and loopback; one warm-up turn is not counted."
        )],
    }


def run(options: dict[str, Any]) -> dict[str, Any]:
    from ..dialogue.backends import open_chat_model

    settings = load_settings(llm=options.get("model") or "small")
    started = time.perf_counter()
    chat = open_chat_model(settings)
    load_s = time.perf_counter() - started
    turns = 4 if options.get("quick") else 12
    with tempfile.TemporaryDirectory(prefix="kindred-bench-web-") as home:
        samples = measure(chat, Path(home), turns, with_emotion=True)
    result = summarise(samples, chat.model, load_s)
    result["figures"]["emotion_reader"] = emotion_reader_available()
    if not result["figures"]["emotion_reader"]:
        result["notes"].append("The emotion model is not installed: turns ran without reading feelings.")
    return result
