"""Time from a message sent on the WebSocket to its first streamed token, against the model's own.

The server runs in this process on a free loopback port, over a throwaway
database; a real WebSocket client sends each prompt. The model's own time to
first token is the one the turn measures around ``chat.stream`` (in its reply
event), so both figures come from the same turn; their difference is what the
server adds: storing the words, recall, the safety check, prompt building, JSON
and the socket.
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


def measure(chat: ChatModel, home: Path, turns: int, *, max_tokens: int = 24,
            with_emotion: bool = False) -> list[dict[str, float]]:
    """One warm-up turn, then ``turns`` measured turns over a real WebSocket.

    ``with_emotion``: read feelings as ``kindred serve`` does (when the emotion model is installed).
    """
    from websockets.sync.client import connect
    from websockets.typing import Origin

    from ..memory.store import open_store
    from ..server import ServerOptions, create_app
    from ..server.runner import BackgroundServer
    from ..turn import Companion

    settings = load_settings(env={"KINDRED_HOME": str(home)}, max_reply_tokens=max_tokens, temperature=0.0)
    companion = Companion(settings=settings, chat=chat, store=open_store(settings),
                          emotion=_emotion_reader() if with_emotion else None)
    app = create_app(companion, ServerOptions(auth_required=False, signup_open=False))
    samples: list[dict[str, float]] = []
    warmed_up = False
    with BackgroundServer(app) as url, connect(url.replace("http", "ws", 1) + "/api/conversation",
                                                origin=Origin(url)) as socket:
        json.loads(socket.recv())  # ready
        for index in range(3 * (turns + 1)):  # a safety-protocol reply never reaches the model: skipped
            sample = _one_turn(socket, PROMPTS[index % len(PROMPTS)])
            if sample is not None and warmed_up:
                samples.append(sample)
            warmed_up = warmed_up or sample is not None
            if len(samples) == turns:
                return samples
    raise RuntimeError(f"only {len(samples)} of {turns} turns reached the model (the rest were safety replies)")


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


def summarise(samples: list[dict[str, float]], model: str, load_s: float) -> dict[str, Any]:
    overheads = sorted(s["overhead_ms"] for s in samples)
    p95 = overheads[min(len(overheads) - 1, round(0.95 * (len(overheads) - 1)))]
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
        "load_s": round(load_s, 3),
    }
    rows = [[i + 1, s["web_ttft_s"], s["model_ttft_s"], s["overhead_ms"], s["heard_s"] * 1000]
            for i, s in enumerate(samples)]
    return {
        "title": f"WebSocket to first token vs the model's own time to first token ({model})",
        "tables": [{"title": "per turn (seconds; overhead and 'heard' in milliseconds)",
                    "columns": ["turn", "web TTFT s", "model TTFT s", "overhead ms", "heard ms"], "rows": rows}],
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
