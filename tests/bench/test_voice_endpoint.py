"""The end-of-turn bench's counting, with a tone for a voice and a turn model that always says one thing."""
from __future__ import annotations

import numpy as np

from kindred.bench.voice_endpoint import MID_THOUGHT, run_endpointing
from kindred.voice.audio import STT_RATE, Audio


class ToneVoice:
    """A 0.1 s tone per word, with 0.05 s gaps: speech to the frame VAD, and never a 0.2 s pause."""

    name = "tone"
    languages = ("en", "ko")

    def synthesize(self, text, language, prosody):
        t = np.arange(int(0.1 * STT_RATE)) / STT_RATE
        word = np.concatenate([0.3 * np.sin(2 * np.pi * 200 * t), np.zeros(int(0.05 * STT_RATE))])
        return Audio.from_float(np.tile(word, len(text.split())), STT_RATE)


class Always:
    def __init__(self, complete: bool):
        self.name, self.complete, self.asked = "always", complete, 0

    def complete_probability(self, audio):
        return 1.0 if self.complete else 0.0

    def is_complete(self, audio):
        self.asked += 1
        return self.complete


def _rows(turn):
    voices = {"en": {"tone": ToneVoice()}}
    figures, rows = run_endpointing(voices, {"en": ["one two three four five six."] * 3}, turn)
    return figures, {row[2]: row for row in rows}


def test_a_model_that_always_says_complete_answers_at_once_and_cuts_every_thought():
    figures, rows = _rows(Always(True))
    language, voice, method, turns, wait, by_model, mids, cut = rows["smart-turn"]
    assert (turns, by_model, mids, cut) == (3, 3, len(MID_THOUGHT["en"]), len(MID_THOUGHT["en"]))
    assert wait < 0.3 and figures["endpoint_smart_turn_en_tone_premature_cutoffs"] == cut


def test_a_model_that_always_says_unfinished_waits_to_the_cap_and_cuts_none():
    figures, rows = _rows(Always(False))
    assert rows["smart-turn"][4] > 1.9 and rows["smart-turn"][7] == 0 and rows["smart-turn"][5] == 0
    assert rows["silence"][4] == 0.6 and rows["silence"][7] == len(MID_THOUGHT["en"])  # 1.0 s pause > 0.6 s


def test_without_a_model_only_the_fixed_wait_is_measured():
    _, rows = _rows(None)
    assert set(rows) == {"silence"}
