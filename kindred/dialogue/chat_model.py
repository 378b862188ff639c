"""The one interface every LLM backend implements."""
from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from .reply_guard import ReplyRules


@dataclass(frozen=True)
class ChatMessage:
    role: str  # system | user | assistant
    content: str


@dataclass(frozen=True)
class GenerationOptions:
    max_tokens: int = 200
    temperature: float = 0.7
    top_p: float = 0.9
    # Small models fall into loops ("I'm so sorry for you." four times) without a penalty; a benchmark's
    # plain baseline passes llama.cpp's own default, 1.0.
    repeat_penalty: float = 1.15
    # A JSON schema the output must follow (llama.cpp grammar / OpenAI response_format).
    json_schema: dict[str, Any] | None = None
    stop: tuple[str, ...] = ()
    # What this reply may not say (:mod:`.reply_guard`): backends that can veto tokens enforce all of
    # it; every backend's stream is ended by the turn loop once the reply has said enough.
    guard: ReplyRules | None = None
    # How many leading messages are the stable prefix (persona, rules, examples): a backend that can
    # keep it evaluated, or saved on disk, reads it once rather than per process (llama.cpp does).
    stable_prefix: int = 0
    # The reply's first words, already chosen (:mod:`.opening`): a backend with
    # ``continues_opening`` generates what follows them and does not repeat them; the turn loop says them.
    opening: str = ""
    # Work that gives the model back the moment a turn needs it (memory extraction, summaries): a backend
    # that reads prompts in pieces reads this one in small pieces, so a turn waits a fraction of a second.
    background: bool = False


@runtime_checkable
class ChatModel(Protocol):
    backend: str  # "llama.cpp", "openai-compatible", ...
    model: str  # the model's name as the user knows it

    def stream(self, messages: Sequence[ChatMessage], options: GenerationOptions) -> AsyncIterator[str]:
        """Yield the reply's text pieces as they are generated.

        Closing the iterator (``aclose()``, or leaving ``async for`` early) cancels
        generation. Raises ``BackendUnavailableError`` when the backend cannot answer.
        """
        ...


async def complete(model: ChatModel, messages: Sequence[ChatMessage], options: GenerationOptions) -> str:
    """The whole reply as one string (for extraction and summaries, not for talking).

    The stream is closed however this ends: a cancelled caller (extraction giving the model back to a
    turn) stops the generation now, not when the stream is garbage-collected."""
    stream = model.stream(messages, options)
    try:
        return "".join([piece async for piece in stream])
    finally:
        close = getattr(stream, "aclose", None)  # an async generator has it; a bare iterator has nothing to stop
        if close is not None:
            await close()
