"""Turn-taking in `kindred bench voice`: backchannels over her speech, interruptions, her own echo.

Her reply (a few sentences in her own voice: hibari for English, Kokoro for Korean) plays from a
simulated speaker; the microphone hears it ``ECHO_DELAY_S`` late and ``ECHO_GAIN`` times as loud,
plus one user clip mixed in at an offset: a backchannel ("mhm", "응") or an interruption ("wait",
"잠깐만", a new sentence), spoken by Kindred's voices and espeak-ng at her voiced loudness. The
product's turn-taking decides, stepped in audio time (voice_room.py: why, and how the check's
Whisper time is kept in).

Figures: false stops (backchannels that ended her reply), stop latency (the interruption's speech
onset in the mix → she is silent), when the reply was ended, how long a backchannel paused her,
and how often her voice alone, at two echo levels, made her hold. The baseline is the plain
barge-in on the same gate, clips, echo and speaker: any 90 ms of speech above the echo stops her,
as `kindred talk` did before.
"""
from __future__ import annotations

import statistics
from collections.abc import Mapping
from typing import Any

import numpy as np

from ..voice.audio import STT_RATE, Audio
from ..voice.backchannel import BackchannelCheck
from ..voice.prosody import prosody_for
from ..voice.protocols import SpeechToText, TextToSpeech
from ..voice.vad import FrameVad, frames_of
from .voice_room import ECHO_DELAY_S, Outcome, simulate, speech_onset_s

ECHO_GAIN = 0.3  # a laptop's speaker heard by its own microphone, about -10 dB
STRONG_ECHO_GAIN = 0.6
AFTER_S = 1.5  # listened to after a backchannel ends: she must still be talking, not stopped
HER_REPLY = {
    "en": "I'm really glad you told me about that. It sounds like today asked a lot of you, and you still "
          "kept going. Do you want to tell me what the hardest part was, or would you rather rest for a bit?",
    "ko": "그 얘기를 해줘서 정말 고마워. 오늘 하루가 많이 힘들었을 것 같아. 그래도 끝까지 버텨낸 게 정말 대단해. "
          "제일 힘들었던 게 뭐였는지 말해줄래?",
}
BACKCHANNELS = {"en": ["Mhm.", "Yeah.", "Uh-huh.", "Right.", "Okay."],
                "ko": ["응.", "맞아.", "그치.", "어.", "그렇구나."]}
INTERRUPTIONS = {"en": ["Wait.", "Stop.", "Hold on.", "Wait, can I ask something?",
                        "Actually, I need to tell you something."],
                 "ko": ["잠깐만.", "잠깐.", "그만.", "아니 그게 아니라, 내 말 좀 들어봐.", "있잖아, 나 할 말 있어."]}


def voiced_rms(audio: Audio) -> float:
    vad = FrameVad()
    voiced = [np.frombuffer(f, dtype="<i2").astype(np.float32) / 32768.0 for f in frames_of(audio) if vad.is_speech(f)]
    samples = np.concatenate(voiced) if voiced else audio.resampled(STT_RATE).to_float()
    return float(np.sqrt(np.mean(samples * samples))) if samples.size else 0.0


class Trial:
    """One clip over her reply: the outcome, with times relative to the clip's speech onset."""

    def __init__(self, outcome: Outcome, onset_s: float) -> None:
        self.stopped = outcome.stopped
        self.holds = len(outcome.holds)
        self.silent_after_s = outcome.holds[0] - onset_s if outcome.holds else (
            outcome.ended_at - onset_s + 0.02 if outcome.ended_at is not None else None)
        self.cancelled_after_s = None if outcome.ended_at is None else outcome.ended_at - onset_s
        self.paused_s = outcome.paused_s
        self.check_s = outcome.check_s
        self.heard = " | ".join(v.heard for v in outcome.verdicts)


def run_trial(her: Audio, clip: Audio | None, at_s: float, check: BackchannelCheck | None, language: str, *,
              backchannels: bool, echo_gain: float = ECHO_GAIN) -> Trial:
    listen_s = at_s + clip.duration_s + AFTER_S if clip is not None else her.duration_s + 0.5
    outcome = simulate(her, clip, at_s, check, language, backchannels=backchannels, echo_gain=echo_gain,
                       listen_s=listen_s)
    return Trial(outcome, at_s + (speech_onset_s(clip) if clip is not None else 0.0))


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _offset(index: int) -> float:
    return 1.6 + (index * 0.37) % 2.0  # spread over her words and the pauses between them


def run_turntaking(her_voices: Mapping[str, TextToSpeech], user_voices: Mapping[str, Mapping[str, TextToSpeech]],
                   stt: SpeechToText, count: int) -> tuple[dict[str, Any], list[list[object]], list[list[object]]]:
    """Figures, the table rows (per user voice, then all voices pooled), and the own-voice rows."""
    check = BackchannelCheck(stt)
    figures: dict[str, Any] = {"turntaking_echo_gain": ECHO_GAIN, "turntaking_strong_echo_gain": STRONG_ECHO_GAIN,
                               "turntaking_echo_delay_s": ECHO_DELAY_S}
    rows: list[list[object]] = []
    echo_rows: list[list[object]] = []
    for language, her_tts in her_voices.items():
        her = her_tts.synthesize(HER_REPLY[language], language, prosody_for("neutral")).resampled(STT_RATE)
        level = voiced_rms(her)
        for gain in (ECHO_GAIN, STRONG_ECHO_GAIN):
            trial = run_trial(her, None, 0.0, check, language, backchannels=True, echo_gain=gain)
            echo_rows.append([language, her_tts.name, gain, round(her.duration_s, 1), trial.holds, trial.stopped])
            figures[f"turntaking_{language}_own_voice_echo_{gain}_holds"] = trial.holds
            figures[f"turntaking_{language}_own_voice_echo_{gain}_stopped"] = trial.stopped
        pooled: dict[str, dict[str, list[Trial]]] = {}
        for voice, tts in user_voices[language].items():
            clips = {kind: [(text, _at_level(tts.synthesize(text, language, prosody_for("neutral")), level))
                            for text in texts[:count]]
                     for kind, texts in (("backchannel", BACKCHANNELS[language]),
                                         ("interruption", INTERRUPTIONS[language]))}
            for method, backchannels in METHODS:
                result = {kind: [run_trial(her, clip, _offset(i), check, language, backchannels=backchannels)
                                 for i, (_, clip) in enumerate(items)] for kind, items in clips.items()}
                rows.append(_row(language, voice, method, result))
                key = f"turntaking_{language}_{voice}_{_slug(method)}"
                _figures(figures, key, result)
                figures[f"{key}_misjudged"] = [f"{text} (heard: {t.heard or '-'})"
                                               for kind, wrong_if in (("backchannel", True), ("interruption", False))
                                               for (text, _), t in zip(clips[kind], result[kind])
                                               if t.stopped == wrong_if]
                for kind, trials in result.items():
                    pooled.setdefault(method, {}).setdefault(kind, []).extend(trials)
        for method, result in pooled.items():
            rows.append(_row(language, "all", method, result))
            _figures(figures, f"turntaking_{language}_{_slug(method)}", result)
    return figures, rows, echo_rows


METHODS = (("turn-taking", True), ("plain barge-in", False))


def _slug(method: str) -> str:
    return method.replace(" ", "_").replace("-", "_")


def _at_level(audio: Audio, level: float) -> Audio:
    audio = audio.resampled(STT_RATE)
    own = voiced_rms(audio)
    return Audio.from_float(audio.to_float() * (level / own if own else 1.0), STT_RATE)


def _latencies(trials: list[Trial]) -> tuple[list[float], list[float]]:
    silent = [t.silent_after_s for t in trials if t.stopped and t.silent_after_s is not None]
    decided = [t.cancelled_after_s for t in trials if t.stopped and t.cancelled_after_s is not None]
    return silent, decided


def _row(language: str, voice: str, method: str, result: Mapping[str, list[Trial]]) -> list[object]:
    backs, ints = result["backchannel"], result["interruption"]
    silent, decided = _latencies(ints)
    paused = [t.paused_s for t in backs if not t.stopped and t.holds]
    checks = [s for t in backs + ints for s in t.check_s]
    return [language, voice, method, f"{sum(t.stopped for t in backs)}/{len(backs)}",
            f"{sum(t.stopped for t in ints)}/{len(ints)}", _pct(silent, 0.5), _pct(silent, 0.95),
            _pct(decided, 0.5), statistics.median(paused) if paused else None,
            statistics.median(checks) if checks else None]


def _figures(figures: dict[str, Any], key: str, result: Mapping[str, list[Trial]]) -> None:
    backs, ints = result["backchannel"], result["interruption"]
    figures[f"{key}_false_stops"] = sum(t.stopped for t in backs)
    figures[f"{key}_backchannels"] = len(backs)
    figures[f"{key}_interruptions_stopped"] = sum(t.stopped for t in ints)
    figures[f"{key}_interruptions"] = len(ints)
    silent, decided = _latencies(ints)
    paused = [t.paused_s for t in backs if not t.stopped and t.holds]
    for name, values in (("stop_latency", silent), ("ended", decided)):
        for q, label in ((0.5, "p50"), (0.95, "p95")):
            value = _pct(values, q)
            figures[f"{key}_{name}_{label}_s"] = None if value is None else round(value, 3)
    figures[f"{key}_backchannel_pause_p50_s"] = round(statistics.median(paused), 3) if paused else None
    checks = [s for t in backs + ints for s in t.check_s]
    figures[f"{key}_check_p50_s"] = round(statistics.median(checks), 3) if checks else None


def turntaking_columns() -> list[str]:
    return ["language", "user voice", "method", "false stops (backchannels)", "interruptions stopped",
            "stop latency p50 s", "stop latency p95 s", "ended p50 s", "backchannel pause p50 s",
            "Whisper check p50 s"]
