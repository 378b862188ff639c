"""Voice: speech in (Whisper), speech out (Kokoro, Piper, espeak-ng), prosody both ways, streaming, barge-in.

Only light modules load here; each engine imports its heavy library when it is first used.
"""
from .audio import Audio, AudioFormatError, read_wav, write_wav
from .prosody import TONE_PROSODY, Prosody, prosody_for
from .protocols import SpeechToText, TextToSpeech, Transcript

__all__ = ["Audio", "AudioFormatError", "Prosody", "SpeechToText", "TONE_PROSODY", "TextToSpeech", "Transcript",
           "prosody_for", "read_wav", "write_wav"]
