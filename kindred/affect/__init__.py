"""Affect: readings of how the user feels, and the state that carries across a conversation."""
from .reading import EmotionReader, EmotionReading

__all__ = ["EmotionReader", "EmotionReading"]
