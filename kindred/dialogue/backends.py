"""Choosing the chat backend from settings: embedded, small, a GGUF path, or a server."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..config import Settings
from ..models import PACKAGED_MODELS, ensure_model
from .chat_model import ChatModel

Progress = Callable[[int, int], None]


def open_chat_model(settings: Settings, progress: Progress | None = None) -> ChatModel:
    if settings.llm_url:
        from .openai_compat import OpenAICompatibleChat

        return OpenAICompatibleChat(settings.llm_url, settings.llm_model, api_key=settings.llm_api_key,
                                    timeout_s=settings.llm_timeout_s, retries=settings.llm_retries)
    from .llama_cpp import LlamaCppChat

    if settings.llm in PACKAGED_MODELS:
        spec = PACKAGED_MODELS[settings.llm]
        path = ensure_model(settings.llm, settings.models_dir, progress)
        return LlamaCppChat(path, name=spec.name, context_tokens=settings.context_tokens,
                            threads=settings.llm_threads, state_dir=settings.prefix_state_dir)
    return LlamaCppChat(Path(settings.llm).expanduser(), context_tokens=settings.context_tokens,
                        threads=settings.llm_threads, state_dir=settings.prefix_state_dir)
