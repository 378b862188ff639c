"""What the OpenAI-compatible endpoint reads and writes: the request's newest user message, the
``chat.completion`` and ``chat.completion.chunk`` objects, and Kindred's reading of the turn.

Her reading rides in one extension field, ``"kindred"``, on the whole reply and on the stream's last
chunk; ordinary OpenAI clients ignore fields they do not know. Its keys are documented in
docs/integrations.md: ``turn_id``, ``session_id``, ``language``, ``feeling``, ``safety``, ``strategy``,
``tone``, ``why``, ``noticed``, ``her_mood``, ``suggestion``, ``recalled``, ``finish`` and the model's
own ``time_to_first_token_s`` (what `kindred bench web` compares the endpoint's first chunk with).
"""
from __future__ import annotations

import json
from typing import Any

from .. import bounded_json
from ..errors import InputError
from ..events import Chose, Event, Failed, Felt, Heard, Recalled, Replied, SafetyChecked, Suggested
from .errors import ModelNotFoundError, OpenAIRequestError

MODEL_ID = "kindred"  # the one model this server offers: Kindred herself, whatever LLM she speaks through


def _refuse(message: str, hint: str, code: str) -> OpenAIRequestError:
    return OpenAIRequestError(message, hint, code=code)


def parse_request(raw: bytes) -> tuple[str, bool]:
    """The newest user message's text and whether to stream. The earlier messages are the client's copy of
    the conversation: Kindred keeps her own history and memory, so they are read past, never stored."""
    try:
        body = bounded_json.loads(raw or b"{}")
    except InputError as exc:  # not JSON, too deep, too large a number, a lone surrogate
        raise _refuse("The request body is not valid JSON.", "Send a JSON chat.completions request.",
                      "body-invalid") from exc
    if not isinstance(body, dict):
        raise _refuse("The request must be a JSON object.", "Send a JSON chat.completions request.", "body-invalid")
    model = body.get("model", MODEL_ID)
    if model != MODEL_ID:
        raise ModelNotFoundError(f"This server offers one model, '{MODEL_ID}', not {str(model)[:80]!r}.",
                                 f"Set the model name to '{MODEL_ID}' (GET /v1/models lists it).")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise _refuse("The request has no messages.", 'Send "messages": [{"role": "user", "content": "..."}].',
                      "messages-missing")
    roles = [m.get("role") if isinstance(m, dict) else None for m in messages]
    newest = max((i for i, role in enumerate(roles) if role == "user"), default=None)
    if newest is None:
        raise _refuse("No message from the person (role 'user') to answer.",
                      "End the messages with the person's own message.", "user-message-missing")
    if "assistant" in roles[newest + 1:]:
        # A "continue this reply" request: answering it would store the person's words a second time.
        raise _refuse("The newest message is Kindred's, not the person's.",
                      "Kindred answers each message of the person once; send a new user message.",
                      "user-message-answered")
    text = content_text(messages[newest].get("content"))
    if not text.strip():
        raise _refuse("The newest user message has no text.", "Send its text as a string or text parts.",
                      "user-message-empty")
    stream = body.get("stream", False)
    if not isinstance(stream, bool):
        raise _refuse('"stream" must be true or false.', 'Send "stream": true or leave it out.', "body-invalid")
    return text, stream


def content_text(content: object) -> str:
    """A message's text: a string, or the text parts of a list (images and audio parts are not read here)."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "\n".join(p["text"] for p in content
                         if isinstance(p, dict) and p.get("type") == "text" and isinstance(p.get("text"), str))
    return ""


class TurnReading:
    """Her reading of one turn, gathered from its events as they pass."""

    def __init__(self) -> None:
        self.heard: Heard | None = None
        self.felt: Felt | None = None
        self.safety: SafetyChecked | None = None
        self.chose: Chose | None = None
        self.suggested: Suggested | None = None
        self.recalled: Recalled | None = None
        self.replied: Replied | None = None
        self.failed: Failed | None = None

    def see(self, event: Event) -> None:
        for name, kind in (("heard", Heard), ("felt", Felt), ("safety", SafetyChecked), ("chose", Chose),
                           ("suggested", Suggested), ("recalled", Recalled), ("replied", Replied),
                           ("failed", Failed)):
            if isinstance(event, kind):
                setattr(self, name, event)

    def as_json(self) -> dict[str, Any]:
        felt, chose, reply = self.felt, self.chose, self.replied
        suggestion = self.suggested
        named = self.heard or reply or self.failed
        return {
            "turn_id": named.turn_id if named is not None else "",
            "session_id": self.heard.session_id if self.heard else None,
            "language": self.heard.language if self.heard else None,
            "feeling": None if felt is None else {
                "label": felt.state_label, "valence": round(felt.valence, 3), "arousal": round(felt.arousal, 3),
                "confidence": round(felt.confidence, 3), "mood_valence": round(felt.state_valence, 3),
                "labels": [[label, round(p, 3)] for label, p in felt.labels]},
            "safety": None if self.safety is None else {
                "risk": self.safety.risk, "category": self.safety.category, "action": self.safety.action},
            "strategy": list(chose.strategies) if chose else [],
            "tone": chose.tone if chose else None,
            "why": chose.why if chose else None,
            "noticed": list(chose.noticed) if chose else [],
            "her_mood": chose.her_mood if chose else None,
            "suggestion": None if suggestion is None else {
                "title": suggestion.title, "category": suggestion.category, "why": suggestion.why,
                "steps": list(suggestion.steps)},
            "recalled": [{"text": m.text, "reason": m.reason, "when": m.when}
                         for m in (self.recalled.memories if self.recalled else ())],
            "finish": reply.finish if reply else None,
            "time_to_first_token_s": reply.time_to_first_token_s if reply else None,
            "error": None if self.failed is None else {"stage": self.failed.stage, "code": self.failed.code,
                                                       "message": self.failed.message},
        }


def completion(completion_id: str, created: int, text: str, reading: TurnReading) -> dict[str, Any]:
    """The whole reply as one ``chat.completion``. No ``usage``: Kindred's prompt is hers, not the client's."""
    return {"id": completion_id, "object": "chat.completion", "created": created, "model": MODEL_ID,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop",
                         "logprobs": None}],
            "kindred": reading.as_json()}


def chunk(completion_id: str, created: int, delta: dict[str, Any], finish_reason: str | None = None,
          reading: TurnReading | None = None) -> str:
    """One server-sent event of the stream."""
    data: dict[str, Any] = {"id": completion_id, "object": "chat.completion.chunk", "created": created,
                            "model": MODEL_ID,
                            "choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason,
                                         "logprobs": None}]}
    if reading is not None:
        data["kindred"] = reading.as_json()
    return sse(data)


def sse(data: dict[str, Any]) -> str:
    return f"data: {json.dumps(data, ensure_ascii=False)}\n\n"


DONE = "data: [DONE]\n\n"


def failed_status(failed: Failed) -> int:
    """The HTTP status of a turn that failed before any reply: the person's words (400), the model (503)."""
    if failed.stage == "perceive":
        return 400
    if failed.code == "rate-limited":
        return 429
    return 503 if failed.stage == "respond" else 500


def models_list(created: int) -> dict[str, Any]:
    return {"object": "list", "data": [{"id": MODEL_ID, "object": "model", "created": created,
                                        "owned_by": "kindred"}]}
