"""Smart Turn on real clips spoken by Kindred's own voices, and through the listener.

Each clip is what the listener hands the model: 0.3 s before the words, the words, and the 0.2 s
of silence after which it asks (``listen.CHECK_S``). Where the model disagrees with a clip, the
case is kept as a strict xfail with the probability it gave, so the disagreement stays on record
and a model or voice that starts agreeing is noticed.
"""
from __future__ import annotations

import asyncio
import importlib.util

import pytest

from kindred.voice.audio import STT_RATE, Audio, concat

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("pipecat") is None or importlib.util.find_spec("hibari") is None
                       or importlib.util.find_spec("kokoro_onnx") is None,
                       reason="needs the voice extra and pipecat-ai (scripts/install)"),
]

COMPLETE = {
    "en": ["I had a really rough day at work today.", "Do you remember what I told you about my dog?",
           "I finally finished my big project."],
    "ko": ["오늘 회사에서 너무 힘들었어.", "요즘 잠을 잘 못 자.", "드디어 큰 프로젝트를 끝냈어."],
}
UNFINISHED = {
    "en": ["I was thinking that maybe", "So yesterday I went to the, um"],
    "ko": ["그래서 내가", "어제 친구를 만났는데", "그런데 갑자기 그 사람이"],
}
# (language, voice, text, what the model gave on 2026-12-03): fragments the model hears as complete.
DISAGREES = [
    ("en", "hibari", "My sister called me and", 0.87),
    ("en", "kokoro", "My sister called me and", 0.90),
    ("en", "kokoro", "Because when I get home I just", 0.97),
    ("ko", "kokoro", "집에 가서 밥을 먹고", 0.98),
    ("ko", "kokoro", "만약에 내일 비가 오면", 0.98),
]
VOICES = {"en": ("hibari", "kokoro"), "ko": ("kokoro",)}


@pytest.fixture(scope="module")
def models():
    from kindred.config import load_settings
    from kindred.voice.hibari_tts import HibariTextToSpeech
    from kindred.voice.kokoro_tts import KokoroTextToSpeech
    from kindred.voice.smart_turn import SmartTurn

    models_dir = load_settings().models_dir
    return {"smart-turn": SmartTurn(models_dir), "hibari": HibariTextToSpeech(models_dir),
            "kokoro": KokoroTextToSpeech(models_dir)}


def _spoken(models, voice: str, text: str, language: str) -> Audio:
    from kindred.voice.prosody import prosody_for

    return models[voice].synthesize(text, language, prosody_for("neutral")).resampled(STT_RATE)


def _clip(models, voice, text, language) -> Audio:
    return concat([Audio.silence(0.3, STT_RATE), _spoken(models, voice, text, language), Audio.silence(0.2, STT_RATE)])


def _cases(table):
    return [(language, voice, text) for language, texts in table.items() for voice in VOICES[language]
            for text in texts]


@pytest.mark.parametrize(("language", "voice", "text"), _cases(COMPLETE))
def test_a_complete_sentence_is_heard_as_complete(models, language, voice, text):
    probability = models["smart-turn"].complete_probability(_clip(models, voice, text, language))
    assert probability > 0.5, (voice, text, probability)


@pytest.mark.parametrize(("language", "voice", "text"), _cases(UNFINISHED))
def test_a_trailing_off_fragment_is_heard_as_unfinished(models, language, voice, text):
    probability = models["smart-turn"].complete_probability(_clip(models, voice, text, language))
    assert probability < 0.5, (voice, text, probability)


@pytest.mark.parametrize(("language", "voice", "text", "seen"), DISAGREES)
@pytest.mark.xfail(strict=True, reason="Smart Turn hears this synthesized fragment as a complete turn")
def test_fragments_the_model_disagrees_with(models, language, voice, text, seen):
    probability = models["smart-turn"].complete_probability(_clip(models, voice, text, language))
    assert probability < 0.5, (voice, text, probability)


def test_features_match_pipecats_own_on_real_speech(models):
    """Kindred's log-mel against the copy inside pipecat-ai, loaded from its file (it needs only NumPy)."""
    import numpy as np

    from kindred.voice.turn_features import last_window, log_mel

    spec = importlib.util.find_spec("pipecat")
    assert spec is not None and spec.submodule_search_locations
    path = f"{list(spec.submodule_search_locations)[0]}/audio/turn/smart_turn/_whisper_features.py"
    loader = importlib.util.spec_from_file_location("pipecat_whisper_features", path)
    assert loader is not None and loader.loader is not None
    reference = importlib.util.module_from_spec(loader)
    loader.loader.exec_module(reference)
    window = last_window(_clip(models, "hibari", COMPLETE["en"][0], "en").to_float())
    ours, theirs = log_mel(window), reference.compute_whisper_log_mel_features(window)
    assert ours.shape == theirs.shape == (80, 800)
    assert float(np.abs(ours - theirs).max()) < 1e-5


async def _listen(audio: Audio, turn) -> tuple[Audio | None, float, list[bool]]:
    """The utterance the listener cut, how much silence after the last word it waited, its verdicts."""
    from kindred.voice.listen import Listener
    from kindred.voice.vad import FRAME_BYTES

    listener = Listener(stt=None, speculative=False, turn=turn)  # type: ignore[arg-type]  # no recognition here
    pcm, fed = audio.pcm, [0]

    async def frames():
        for offset in range(0, len(pcm) - FRAME_BYTES + 1, FRAME_BYTES):
            fed[0] += 1
            yield pcm[offset:offset + FRAME_BYTES]
            await asyncio.sleep(0)

    utterance = await listener.next_utterance(frames())
    words_end = audio.duration_s - 2.5  # the clip is 0.3 s of silence, speech, 2.5 s of silence
    if utterance is None:
        return None, fed[0] * 0.03 - words_end, []
    return utterance.audio, fed[0] * 0.03 - words_end, utterance.verdicts


@pytest.mark.parametrize("language", ["en", "ko"])
def test_the_listener_answers_a_complete_turn_at_once_and_waits_through_a_pause_mid_thought(models, language):
    voice = VOICES[language][0]
    sentence = COMPLETE[language][0]
    fragment, rest = {"en": ("I was thinking that maybe", "we could go out for dinner tomorrow."),
                      "ko": ("그래서 내가", "친구한테 전화를 했어.")}[language]
    lead, tail = Audio.silence(0.3, STT_RATE), Audio.silence(2.5, STT_RATE)
    complete = concat([lead, _spoken(models, voice, sentence, language), tail])
    mid_thought = concat([lead, _spoken(models, voice, fragment, language), Audio.silence(1.0, STT_RATE),
                          _spoken(models, voice, rest, language), tail])
    turn = models["smart-turn"]

    _, waited, verdicts = asyncio.run(_listen(complete, turn))
    assert verdicts == [True] and waited < 0.45  # 0.2 s of silence, then the model: not the fixed 0.6 s

    heard, _, verdicts = asyncio.run(_listen(mid_thought, turn))
    assert verdicts[0] is False and verdicts[-1] is True  # the pause was unfinished, the end complete
    assert heard is not None and heard.duration_s > mid_thought.duration_s - 2.5 - 0.1  # both halves in one turn

    heard_by_silence, _, _ = asyncio.run(_listen(mid_thought, None))  # the fixed wait cuts them off mid-thought
    assert heard_by_silence is not None and heard_by_silence.duration_s < heard.duration_s - 1.0
