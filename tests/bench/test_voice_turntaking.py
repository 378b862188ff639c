"""The turn-taking bench's counting, with tones for voices and a recogniser that hears one thing."""
from __future__ import annotations

import numpy as np

from kindred.bench.voice_turntaking import BACKCHANNELS, INTERRUPTIONS, run_turntaking
from kindred.voice.audio import STT_RATE, Audio
from kindred.voice.protocols import Transcript


class ToneVoice:
    """0.12 s of tone per word with 0.06 s gaps: her reply is long, the user's one-word clips short."""

    languages = ("en", "ko")

    def __init__(self, name: str, level: float = 0.3) -> None:
        self.name, self.level = name, level

    def synthesize(self, text, language, prosody):
        t = np.arange(int(0.12 * STT_RATE)) / STT_RATE
        word = np.concatenate([self.level * np.sin(2 * np.pi * 190 * t), np.zeros(int(0.06 * STT_RATE))])
        return Audio.from_float(np.tile(word, len(text.split())), STT_RATE)


class Hears:
    name = "hears"

    def __init__(self, text: str) -> None:
        self.text = text

    def transcribe(self, audio, language=None, *, prompt=""):
        return Transcript(self.text, language or "en", 1.0, 0.0, "hears", 0.0)


def test_backchannels_heard_as_such_do_not_stop_her_and_the_plain_barge_in_stops_for_all():
    figures, rows, echo_rows = run_turntaking({"en": ToneVoice("her")}, {"en": {"tone": ToneVoice("tone")}},
                                              Hears("Mm-hmm."), count=4)
    assert BACKCHANNELS["en"][:4] == ["Mhm.", "Yeah.", "Uh-huh.", "Right."]  # one word each: 0.12 s of tone
    assert figures["turntaking_en_turn_taking_false_stops"] == 0
    plain = "turntaking_en_plain_barge_in"
    assert figures[f"{plain}_false_stops"] == figures[f"{plain}_backchannels"] == 4
    # Every short interruption is heard as "Mm-hmm." here, so only the one that goes on past 0.8 s ("Wait, can
    # I ask something?": five words, 0.84 s) stops her; the misses are counted, not hidden.
    assert len(INTERRUPTIONS["en"][3].split()) == 5
    assert figures["turntaking_en_turn_taking_interruptions_stopped"] == 1
    assert figures[f"{plain}_interruptions_stopped"] == 4
    assert 0.09 <= figures["turntaking_en_turn_taking_stop_latency_p50_s"] < 0.2  # three frames, one slice
    assert figures["turntaking_en_tone_turn_taking_misjudged"] == [f"{text} (heard: Mm-hmm.)"
                                                                   for text in INTERRUPTIONS["en"][:3]]
    assert [r[4] for r in echo_rows] == [0, 0]  # her own voice alone never held her, at either echo level
    assert [r[1] for r in rows] == ["tone", "tone", "all", "all"]
