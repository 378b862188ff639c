"""The ``info`` answer to ``describe``: what this server does, as Home Assistant reads it.

- ``asr``: speech to text with Kindred's Whisper (English and Korean);
- ``tts``: one voice, "kindred", whose speakers are the tones she speaks in (comforting, calm, ...):
  a client may pick one; by default a reply is spoken in the tone its turn chose;
- ``handle``: the conversation itself (a transcript in, her reply out, through the whole turn loop).

Speech is listed only when its engines loaded, so a client never picks a program that cannot work.
No ``intent`` program: Kindred does not turn words into Home Assistant intents.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..voice.prosody import TONES
from .speech import LANGUAGES, SpeechEngines

if TYPE_CHECKING:
    from wyoming.info import Info

# Who made the programs. The project names no public home page, so no URL is claimed for it.
KINDRED = ("Kindred", "")
VOICE_NAME = "kindred"
HANDLE_NAME = "kindred"


def kindred_info(speech: SpeechEngines, *, user: str, model: str, version: str) -> Info:
    from wyoming.info import (
        AsrModel,
        AsrProgram,
        Attribution,
        HandleModel,
        HandleProgram,
        Info,
        TtsProgram,
        TtsVoice,
        TtsVoiceSpeaker,
    )

    kindred = Attribution(*KINDRED)
    languages = list(LANGUAGES)
    handle = HandleProgram(
        name=HANDLE_NAME, attribution=kindred, installed=True, version=version,
        description="Kindred, a companion: a transcript in, her reply out, with her memory, feelings and safety",
        models=[HandleModel(name=HANDLE_NAME, attribution=kindred, installed=True, version=version,
                            description=f"as '{user}', replies by {model}", languages=languages)])
    if not speech.available:
        return Info(handle=[handle])
    asr = AsrProgram(
        name="kindred-whisper", attribution=kindred, installed=True, version=version,
        description="Kindred's speech recognition (faster-whisper)",
        models=[AsrModel(name=speech.stt_name, attribution=Attribution("OpenAI", "https://github.com/openai/whisper"),
                         installed=True, version=None, languages=languages,
                         description="Whisper base (Korean, and which language it is) and tiny.en (English)")])
    engines = ", ".join(f"{language}: {name}" for language, name in speech.voice_names().items())
    tts = TtsProgram(
        name="kindred-voice", attribution=kindred, installed=True, version=version,
        description="Kindred's voice, in the tone her reply chose",
        voices=[TtsVoice(name=VOICE_NAME, attribution=kindred, installed=True, version=version,
                         description=f"Kindred ({engines}); speakers are tones", languages=languages,
                         speakers=[TtsVoiceSpeaker(name=tone) for tone in TONES])])
    return Info(asr=[asr], tts=[tts], handle=[handle])
