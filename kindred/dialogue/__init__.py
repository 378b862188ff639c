"""Dialogue: the chat-model interface, its backends, the persona and prompt assembly."""
from .chat_model import ChatMessage, ChatModel, GenerationOptions, complete

__all__ = ["ChatMessage", "ChatModel", "GenerationOptions", "complete"]
