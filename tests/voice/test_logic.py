"""Chunking, prosody, endpointing and prosodic arousal: the parts with no model in them."""
from __future__ import annotations

import numpy as np

from kindred.voice.audio import Audio
from kindred.voice.chunker import SentenceChunker, split_sentences
from kindred.voice.features import estimate_arousal
from kindred.voice.prosody import TONE_PROSODY, prosody_for
from kindred.voice.vad import Endpointer, sounds_unfinished


def test_first_chunk_is_cut_early_then_whole_sentences():
    chunker, out = SentenceChunker(), []
    for word in "Oh dear, that sounds so heavy, and I am here. Tell me more about it".split(" "):
        out += chunker.push(word + " ")
    assert out[0] == "Oh dear, that sounds so heavy,"
    assert out[1] == "and I am here."
    assert chunker.flush() == ["Tell me more about it"]
    assert split_sentences("오늘 힘들었구나. 무슨 일이 있었어?") == ["오늘 힘들었구나.", "무슨 일이 있었어?"]


def test_prosody_table_comfort_is_softer_and_slower_than_celebration():
    comfort, joy = prosody_for("comforting"), prosody_for("celebrating")
    assert comfort.rate < 1 < joy.rate and comfort.energy < joy.energy
    assert comfort.pitch_semitones < joy.pitch_semitones and comfort.sentence_pause_s > joy.sentence_pause_s
    assert set(TONE_PROSODY) == {"comforting", "celebrating", "curious", "playful", "calm", "serious", "neutral"}
    assert prosody_for("unknown-tone") == prosody_for(None) == prosody_for("neutral")


def _feed(endpointer, pattern):
    return [d for voiced, frames in pattern for d in (endpointer.push(voiced) for _ in range(frames)) if d]


def test_endpointer_waits_longer_when_the_words_sound_unfinished():
    assert _feed(Endpointer(), [(True, 20), (False, 25)]) == ["start", "pause", "end"]
    thinking = Endpointer()
    decisions = _feed(thinking, [(True, 20), (False, 10)])
    thinking.unfinished = sounds_unfinished("I went to the shop and")
    decisions += _feed(thinking, [(False, 20), (True, 10), (False, 25)])
    assert decisions == ["start", "pause", "resume", "pause", "end"]
    assert _feed(Endpointer(), [(True, 2), (False, 30)]) == []  # a click is not a turn
    assert sounds_unfinished("그래서 내가 갔는데") and not sounds_unfinished("I'm fine.")


def _voice(rate_hz: float, pitch_wobble: float, gain: float, syllables_per_s: float) -> Audio:
    t = np.arange(0, 2.0, 1 / 16000)
    f0 = rate_hz * (1 + pitch_wobble * np.sin(2 * np.pi * 0.7 * t))
    phase = 2 * np.pi * np.cumsum(f0) / 16000
    envelope = 0.5 * (1 + np.sin(2 * np.pi * syllables_per_s * t)) ** 2 / 2
    signal = sum(np.sin(k * phase) / k for k in range(1, 6)) * envelope * gain
    return Audio.from_float(signal, 16000)


def test_stirred_voice_reads_as_higher_arousal():
    calm = estimate_arousal(_voice(120, 0.05, 0.05, 2.5))
    stirred = estimate_arousal(_voice(220, 0.35, 0.6, 5.5))
    assert stirred.arousal > calm.arousal + 0.2
    assert 0 < calm.confidence <= 0.6 and calm.features.pitch_hz > 80
    assert estimate_arousal(Audio.silence(1.0, 16000)).confidence == 0


def test_first_chunk_stays_short_without_a_clause_break():
    chunker, out = SentenceChunker(), []
    for word in "I am really glad that you told me about your sister today. It matters".split(" "):
        out += chunker.push(word + " ")
    assert out[0] == "I am really glad that you"  # at most 6 words wait for synthesis in silence
    assert out[1] == "told me about your sister today."
    short = SentenceChunker()
    assert short.push("That sounds so hard today. ") == ["That sounds so hard today."]


def test_korean_sentences_ending_in_eo_are_finished_but_the_filler_is_not():
    # 힘들었어 / 웃었어 end in 어, like the filler "어…": only the filler alone means they will go on.
    assert not sounds_unfinished("오늘 힘들었어") and not sounds_unfinished("동생이랑 많이 웃었어")
    assert sounds_unfinished("어") and sounds_unfinished("그래서 어") and sounds_unfinished("음")
    assert sounds_unfinished("내일 시험이 있어서")


def test_endpointer_asks_the_turn_model_at_the_pause_and_follows_its_verdict():
    complete = Endpointer(check_s=0.2)
    assert _feed(complete, [(True, 20), (False, 7)]) == ["start", "check"]
    assert complete.judge(True) == "end" and not complete.in_speech

    unfinished = Endpointer(check_s=0.2, incomplete_cap_s=2.0)
    _feed(unfinished, [(True, 20), (False, 7)])
    assert unfinished.judge(False) == "" and unfinished.needed_silence_s == 2.0
    waited = _feed(unfinished, [(False, 58)])  # 1.95 s of silence in all: still listening
    assert waited == ["pause"] and unfinished.in_speech
    assert _feed(unfinished, [(False, 2)]) == ["end"]  # the cap

    resumed = Endpointer(check_s=0.2)
    assert _feed(resumed, [(True, 20), (False, 7)]) == ["start", "check"]
    resumed.judge(False)
    assert _feed(resumed, [(False, 2)]) == ["pause"]
    assert _feed(resumed, [(True, 5)]) == ["resume"] and resumed.complete is None  # the verdict was about that pause
    assert _feed(resumed, [(False, 7)]) == ["check"]  # the next pause is asked about afresh
    assert resumed.judge(True) == "end"


def test_a_verdict_on_a_pause_that_is_over_is_ignored_and_no_model_means_no_check():
    late = Endpointer(check_s=0.2)
    _feed(late, [(True, 20), (False, 7), (True, 3)])
    assert late.judge(True) == ""  # they spoke again while the model ran
    assert "check" not in _feed(Endpointer(), [(True, 20), (False, 25)])
