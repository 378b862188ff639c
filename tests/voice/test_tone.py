"""One tone source and one reading of the person on every voice path.

`kindred talk` (voice/pipeline.py) and the web page's voice (server/speech.py's Speaker) both
speak in the tone the turn's ``Chose`` names, and `kindred talk` hands the voice's arousal to the
turn, so it is in ``Felt``'s fused reading and in what ``Chose`` noticed. A scripted LLM and a
scripted emotion reader stand in for the models (the real ones: tests/voice/test_voice_turn.py).
"""
from __future__ import annotations

import numpy as np

from kindred.affect.fusion import fuse
from kindred.affect.reading import EmotionReading
from kindred.affect.strategy import choose
from kindred.events import Chose, Event, Felt, Replied
from kindred.server.speech import Speaker
from kindred.turn import Companion
from kindred.voice.audio import Audio
from kindred.voice.features import ArousalEstimate, ProsodicFeatures
from kindred.voice.pipeline import VoiceConversation
from kindred.voice.playback import PacedPlayer
from kindred.voice.protocols import Transcript
from kindred.voice.tone import spoken_tone, voice_reading
from tests.conftest import ScriptedChat

GRIEF = EmotionReading((("grief", 0.8), ("sadness", 0.6), ("neutral", 0.1)), ("grief", "sadness"), -0.8, 0.3,
                       "en", 0.9, "scripted")
PLAIN = EmotionReading((("neutral", 0.9), ("approval", 0.05)), ("neutral",), 0.0, 0.2, "en", 0.9, "scripted")
TENSE = ArousalEstimate(0.9, 0.6, ProsodicFeatures(220.0, 9.0, -15.0, 5.5, 0.06, 2.0))


class ScriptedReader:
    name = "scripted"

    def read(self, text: str) -> EmotionReading:
        return GRIEF if "died" in text else PLAIN


class ToneVoice:
    """Records the prosody each phrase is spoken in."""

    name, languages = "tone", ("en", "ko")

    def __init__(self) -> None:
        self.tones: list[str] = []

    def synthesize(self, text, language, prosody):
        self.tones.append(prosody.tone)
        return Audio.from_float(0.3 * np.sin(np.arange(2400) / 5.0), 24000)

    def for_language(self, language):
        return self


class WebSpeech:
    """The web path's engine, as server/speech.py's Speech is called: by tone name."""

    def __init__(self) -> None:
        self.tones: list[str | None] = []

    def synthesize(self, text: str, language: str, tone: str | None) -> Audio:
        self.tones.append(tone)
        return Audio.from_float(0.3 * np.sin(np.arange(2400) / 5.0), 24000)


def _talk(settings, store, pieces=("Okay. ", "I'm here.")) -> VoiceConversation:
    companion = Companion(settings=settings, chat=ScriptedChat(list(pieces)), store=store, emotion=ScriptedReader())
    return VoiceConversation(companion, stt=None, voices=ToneVoice(), player=PacedPlayer(realtime=False),  # type: ignore[arg-type]
                             user="ana")


def _heard(text: str) -> Transcript:
    return Transcript(text, "en", 1.0, 0.0, "test", 0.0)


async def _web_tones(events: list[Event]) -> list[str | None]:
    """The same turn's events through the web page's Speaker: the tone of each phrase it speaks."""
    speech = WebSpeech()

    async def send(event: Event) -> None:
        pass

    speaker = Speaker(speech, send)
    for event in events:
        speaker.feed(event)
    await speaker.finish()
    return speech.tones


async def test_the_voice_heard_by_talk_is_in_felt_and_in_what_chose_noticed(settings, store):
    turn = await _talk(settings, store).respond(_heard("I'm fine, just checking in."), TENSE)
    felt = next(e for e in turn.events if isinstance(e, Felt))
    chose = next(e for e in turn.events if isinstance(e, Chose))
    assert felt.fused is not None
    voice = next(s for s in felt.fused.sensed if s.modality == "voice")
    assert (voice.arousal, voice.confidence) == (TENSE.arousal, TENSE.confidence) and voice.weight > 0
    assert felt.fused.arousal > felt.arousal  # the tense voice raised the calm words' arousal
    assert any(d.startswith("arousal_mismatch: tense voice") for d in felt.fused.disagreements)
    assert felt.fused.disagreements == chose.noticed  # what Felt carries is what the strategy chose from


async def test_without_a_voice_reading_felt_holds_the_words_alone(settings, store):
    turn = await _talk(settings, store).respond(_heard("I'm fine, just checking in."))
    felt = next(e for e in turn.events if isinstance(e, Felt))
    assert felt.fused is not None and [s.modality for s in felt.fused.sensed] == ["text"]
    assert felt.fused.arousal == felt.arousal


async def test_talk_and_the_web_speak_the_tone_the_turn_chose(settings, store):
    # "ok." alone reads neutral; after a loss the turn's trajectory gives it another tone, which a
    # tone recomputed from this message's words and voice alone (as `talk` once did) would miss.
    talk = _talk(settings, store)
    await talk.respond(_heard("My grandmother died last night."), TENSE)
    talk.voices.tones.clear()  # type: ignore[attr-defined]
    turn = await talk.respond(_heard("ok."), TENSE)
    chose = next(e for e in turn.events if isinstance(e, Chose))
    alone = choose(fuse(text=PLAIN, voice=voice_reading(TENSE)), text="ok.").tone
    assert chose.tone != alone, "the case no longer tells the turn's tone from the words' own"
    assert turn.tone == chose.tone and turn.spoken_tones and set(turn.spoken_tones) == {chose.tone}
    assert set(talk.voices.tones) == {chose.tone}  # type: ignore[attr-defined]
    assert set(await _web_tones(turn.events)) == {chose.tone}


async def test_the_naive_pipeline_speaks_the_chosen_tone_too(settings, store):
    talk = _talk(settings, store)
    await talk.respond_sequentially(_heard("My grandmother died last night."), TENSE)
    turn = await talk.respond_sequentially(_heard("ok."), TENSE)
    chose = next(e for e in turn.events if isinstance(e, Chose))
    assert turn.spoken_tones == [chose.tone] and chose.tone != choose(fuse(text=PLAIN), text="ok.").tone


async def test_a_crisis_reply_is_spoken_calm_on_both_paths(settings, store):
    talk = _talk(settings, store)
    turn = await talk.respond(_heard("I want to kill myself tonight."))
    assert not any(isinstance(e, Chose) for e in turn.events)
    assert next(e for e in turn.events if isinstance(e, Replied)).finish == "crisis"
    assert set(turn.spoken_tones) == {"calm"}
    assert set(await _web_tones(turn.events)) == {"calm"}


def test_spoken_tone_follows_chose_then_keeps_it():
    chose = Chose("t", ("question",), "playful", "why", (), "warm")
    crisis = Replied("t", "Please call…", "en", "safety", "crisis-protocol", 0.0, 0, None, "crisis")
    policy = Replied("t", "I'm an AI.", "en", "safety", "honesty-policy", 0.0, 0, None, "policy")
    assert spoken_tone(None, chose) == "playful"
    assert spoken_tone("playful", crisis) == "playful"  # a tone already chosen is kept
    assert spoken_tone(None, crisis) == "calm"
    assert spoken_tone(None, policy) is None  # said whole, nothing chosen: neutral



async def test_the_microphone_path_measures_each_utterance_and_hands_it_to_the_turn(settings, store, monkeypatch):
    from kindred.voice import listen
    from kindred.voice.features import estimate_arousal
    from kindred.voice.listen import Listener

    from .test_listen import LoudnessVad, RecordingStt, _frames

    monkeypatch.setattr(listen, "has_speech", lambda audio: True)  # the tone clip is not speech to the real VAD
    talk = _talk(settings, store)
    listener = Listener(RecordingStt(detected=("en", 0.97)), vad=LoudnessVad())  # type: ignore[arg-type]
    utterance = await listener.next_utterance(_frames(2.0, 1.0))
    assert utterance is not None
    transcript, arousal = await talk.hear_live(listener, utterance)
    assert transcript is not None and arousal == estimate_arousal(utterance.audio) and arousal.confidence > 0
    turn = await talk.respond(transcript, arousal)
    felt = next(e for e in turn.events if isinstance(e, Felt))
    assert felt.fused is not None
    assert [(s.modality, s.arousal) for s in felt.fused.sensed][1:] == [("voice", arousal.arousal)]
