"""Putting a companion together from settings: the chat model, the store, the readers."""
from __future__ import annotations

from collections.abc import Callable

from .affect.reading import EmotionReader
from .config import Settings
from .dialogue.backends import open_chat_model
from .errors import KindredError
from .memory.store import open_store
from .turn import Companion


def open_emotion_reader() -> EmotionReader | None:
    try:
        from .perception.emotion import load_emotion_model
    except ImportError:
        return None
    # Both languages now, not on each one's first message: a Korean turn after English ones would
    # otherwise pay the load (~0.2-1 s) in the middle of a conversation.
    return load_emotion_model().preload()


def open_companion(settings: Settings, progress: Callable[[int, int], None] | None = None,
                   *, with_emotion: bool = True, terminal: bool = True,
                   feelings_off: Callable[[KindredError], None] | None = None) -> Companion:
    """``terminal``: this companion speaks as ``settings.user`` (chat, talk, a server without sign-in), so
    that profile must not be a web account's the owner has not linked; a server with accounts passes False.
    ``feelings_off``: when given, an emotion reader that fails to load is reported to it and the companion
    answers without reading feelings rather than not at all (voice, Wyoming, benches); else the error stands."""
    from .memory.long_term import open_long_term_memory
    from .privacy.profiles import require_terminal_access

    store = open_store(settings)
    if terminal:
        require_terminal_access(store, settings.user)  # before loading a model: refusing is instant
    chat = open_chat_model(settings, progress)
    emotion = None
    if with_emotion:
        try:
            emotion = open_emotion_reader()
        except KindredError as exc:
            if feelings_off is None:
                raise
            feelings_off(exc)
    memory = open_long_term_memory(store, settings, chat=chat if settings.memory_extraction == "llm" else None)
    return Companion(settings=settings, chat=chat, store=store, emotion=emotion, memory=memory)
