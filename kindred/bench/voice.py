"""`kindred bench voice`: end of speech → first sound of a generated reply, streaming vs. naive.

Clips are made by Kindred's own TTS and fed to the listener at real-time pace as 30 ms frames.
Latency runs from the moment the last voiced frame arrives to the first sample of the reply
played (the endpointer's silence wait included). Streaming: recognition starts at the first
pause, tokens are spoken phrase by phrase. Naive: the endpoint, then all STT, all LLM, all TTS.
Also: STT word (English) / character (Korean) error rate on those clips, and TTS real-time factor;
and end of turn (voice_endpoint): the wait on complete turns and premature cut-offs on mid-thought
clips, with Smart Turn and with the fixed silence wait. The streaming pipeline ends turns with
Smart Turn when it loaded; the naive one keeps the fixed 0.6 s wait, as the pipeline was before.
Turn-taking (voice_turntaking): backchannels and interruptions spoken over her reply, against the
plain barge-in; ``--part turn-taking`` runs only that (no LLM is loaded).
"""
from __future__ import annotations

import asyncio
import os
import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from ..errors import KindredError
from ..runtime import open_companion
from ..voice.audio import STT_RATE, Audio, concat
from ..voice.backends import VoiceConfig, Voices, open_stt, open_turn_detector
from ..voice.listen import Listener
from ..voice.pipeline import VoiceConversation
from ..voice.playback import PacedPlayer
from ..voice.prosody import prosody_for
from ..voice.protocols import SpeechToText, TextToSpeech, TurnDetector
from ..voice.vad import FRAME_BYTES
from .fresh_home import fresh_settings
from .voice_endpoint import endpoint_columns, run_endpointing
from .voice_stages import breakdown_columns, breakdown_row, median_stages, turn_stages
from .voice_turntaking import run_turntaking, turntaking_columns

SENTENCES = {
    "en": ["I had a really rough day at work today.", "My sister called me and we laughed a lot.",
           "I can't sleep well these days.", "Do you remember what I told you about my dog?",
           "I finally finished my big project."],
    "ko": ["오늘 회사에서 너무 힘들었어.", "요즘 잠을 잘 못 자.", "동생이랑 통화하면서 많이 웃었어.",
           "드디어 큰 프로젝트를 끝냈어.", "내일 시험이 있어서 걱정돼."],
}


def _words(text: str) -> list[str]:
    return re.sub(r"[^\w\s']", " ", text.lower()).split()


def _edits(ref: list[str], hyp: list[str]) -> int:
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1]


def error_rate(reference: str, hypothesis: str, language: str) -> float:
    if language == "ko":  # Korean: characters, spaces and punctuation ignored (spacing varies freely)
        ref, hyp = list("".join(_words(reference))), list("".join(_words(hypothesis)))
    else:
        ref, hyp = _words(reference), _words(hypothesis)
    return _edits(ref, hyp) / max(1, len(ref))


async def _frames(clip: Audio):
    pcm = clip.pcm
    started = time.perf_counter()
    for index, offset in enumerate(range(0, len(pcm) - FRAME_BYTES + 1, FRAME_BYTES)):
        await asyncio.sleep(max(0.0, started + index * 0.03 - time.perf_counter()))  # a live microphone's pace
        yield pcm[offset:offset + FRAME_BYTES]


async def _one_turn(conversation: VoiceConversation, clip: Audio, streaming: bool,
                    detector: TurnDetector | None) -> dict[str, float | None] | None:
    """Seconds per stage of one spoken turn (see voice_stages), ``total`` the whole latency; None: no turn."""
    conversation.player = PacedPlayer()
    listener = Listener(conversation.stt, speculative=streaming, turn=detector if streaming else None)
    utterance = await listener.next_utterance(_frames(clip))
    if utterance is None:
        return None
    transcript, arousal = await conversation.hear_live(listener, utterance)  # as `kindred talk` hears
    transcribed_at = time.perf_counter()
    if transcript is None:
        return None
    if streaming:
        turn = await conversation.respond(transcript, arousal, since=utterance.speech_end_at,
                                          stop_after_first_audio=True)
    else:
        turn = await conversation.respond_sequentially(transcript, arousal, since=utterance.speech_end_at)
    marks = {"speech_end": utterance.speech_end_at, "endpoint": utterance.endpoint_at,
             "transcript": transcribed_at, **turn.marks}
    return turn_stages(marks, conversation.player.first_audio_at)


def _endpoint_voices(config: VoiceConfig, voices: Voices) -> dict[str, dict[str, TextToSpeech]]:
    """Per language: the product's voice, Kokoro for English as the other choice, and espeak-ng."""
    from dataclasses import replace

    chosen: dict[str, dict[str, TextToSpeech]] = {}
    kokoro_voices = Voices(replace(config, tts={"en": "kokoro", "ko": "kokoro"}))
    espeak_voices = Voices(replace(config, tts={"en": "espeak", "ko": "espeak"}))
    for language in ("en", "ko"):
        chosen[language] = {}
        for source in (voices, kokoro_voices, espeak_voices):
            try:
                tts = source.for_language(language)
            except KindredError:
                continue
            chosen[language].setdefault(tts.name, tts)
    return chosen


def _pct(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def run(options: dict[str, Any]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="kindred-bench-voice-") as home:
        return _run(options, Path(home))


def _turntaking_part(config: VoiceConfig, voices: Voices, stt: SpeechToText,
                     count: int) -> tuple[dict[str, Any], list[dict[str, Any]], list[str]]:
    her = {language: voices.for_language(language) for language in ("en", "ko")}
    figures, rows, echo_rows = run_turntaking(her, _endpoint_voices(config, voices), stt, count)
    tables = [
        {"title": "turn-taking while she speaks: backchannels and interruptions over her reply (stop latency: "
                  "the interruption's speech onset → playback silent)",
         "columns": turntaking_columns(), "rows": rows},
        {"title": "her own voice alone in the microphone (the echo gate): holds it caused over one whole reply",
         "columns": ["language", "her voice", "echo gain", "reply s", "holds", "stopped"], "rows": echo_rows},
    ]
    notes = ["Turn-taking: her reply from a simulated speaker; the microphone hears it 40 ms late at 0.3x (0.6x "
             "for the second echo row) plus the user's clip at her voiced loudness; the product's TurnTaker is "
             "stepped in audio time (30 ms a frame), the Whisper check timed and its verdict delivered that many "
             "frames later. Stop latency: speech onset → silent (one 20 ms slice included); 'ended': when the "
             "reply was cancelled. 'plain barge-in' is the same gate stopping her at any 90 ms of speech, as "
             "`kindred talk` did before."]
    return figures, tables, notes


def _run(options: dict[str, Any], home: Path) -> dict[str, Any]:
    quick = bool(options.get("quick"))
    model = options.get("model") or ("small" if quick else "embedded")
    count = 2 if quick else 5
    settings = fresh_settings(model, home, max_reply_tokens=32 if quick else 64)
    config = VoiceConfig.from_settings(settings)
    stt, voices = open_stt(config), Voices(config)
    if options.get("part") == "turn-taking":
        taken, tables, notes = _turntaking_part(config, voices, stt, count)
        taken.update({"stt": stt.name, "tts_en": voices.for_language("en").name,
                      "tts_ko": voices.for_language("ko").name})
        return {"title": f"Voice on {os.cpu_count()} cores: turn-taking while she speaks", "tables": tables,
                "figures": taken, "notes": notes}
    companion = open_companion(settings, feelings_off=lambda exc: None)  # timed without feelings if they fail
    conversation = VoiceConversation(companion, stt, voices, PacedPlayer())
    asyncio.run(conversation.warm_up())  # as `kindred talk` does before listening: no turn pays loading
    turn, turn_problem = open_turn_detector(config)

    figures: dict[str, Any] = {"llm": model, "stt": stt.name, "end_of_turn": turn.name if turn else "silence"}
    latency_rows, accuracy_rows, stage_rows = [], [], []
    for language, sentences in SENTENCES.items():
        tts = voices.for_language(language)
        figures[f"tts_{language}"] = tts.name
        clips, synth_s, audio_s, errors = [], 0.0, 0.0, []
        for sentence in sentences[:count]:
            started = time.perf_counter()
            speech = tts.synthesize(sentence, language, prosody_for("neutral"))
            synth_s += time.perf_counter() - started
            audio_s += speech.duration_s
            clip = concat([Audio.silence(0.3, STT_RATE), speech.resampled(STT_RATE), Audio.silence(1.8, STT_RATE)])
            clips.append(clip)
            errors.append(error_rate(sentence, stt.transcribe(clip).text, language))
        figures[f"tts_rtf_{language}"] = round(synth_s / audio_s, 3)
        figures[f"stt_{'cer' if language == 'ko' else 'wer'}_{language}"] = round(statistics.mean(errors), 3)
        accuracy_rows.append([language, "CER" if language == "ko" else "WER", statistics.mean(errors),
                              synth_s / audio_s, len(clips)])
        for name, streaming in (("streaming", True), ("naive", False)):
            turns = [t for t in (asyncio.run(_one_turn(conversation, clip, streaming, turn)) for clip in clips)
                     if t is not None and t["total"] is not None]
            times = [total for t in turns if (total := t["total"]) is not None]  # as filtered above, typed
            p50, p95 = _pct(times, 0.5), _pct(times, 0.95)
            medians = median_stages(turns)
            stage_rows.append(breakdown_row(language, name, medians))
            for stage, seconds in medians.items():
                if stage != "total":
                    figures[f"stage_{name}_{language}_{stage}_p50_s"] = None if seconds is None else round(seconds, 3)
            figures[f"latency_{name}_{language}_p50_s"] = round(p50, 3) if p50 is not None else None
            figures[f"latency_{name}_{language}_p95_s"] = round(p95, 3) if p95 is not None else None
            latency_rows.append([language, name, p50, p95, len(times)])
        s50, n50 = figures[f"latency_streaming_{language}_p50_s"], figures[f"latency_naive_{language}_p50_s"]
        figures[f"speedup_{language}_p50"] = round(n50 / s50, 2) if s50 and n50 else None
    endpoint_figures, endpoint_rows = run_endpointing(_endpoint_voices(config, voices),
                                                      {k: v[:count] for k, v in SENTENCES.items()}, turn)
    figures.update(endpoint_figures)
    taking_figures, taking_tables, taking_notes = _turntaking_part(config, voices, stt, count)
    figures.update(taking_figures)
    return {
        "title": f"Voice on {os.cpu_count()} cores: end of speech → first sound, end of turn, STT accuracy, TTS speed",
        "tables": [
            {"title": "end of speech → first audio of the generated reply (seconds)",
             "columns": ["language", "pipeline", "p50 s", "p95 s", "turns"], "rows": latency_rows},
            {"title": "where it goes: median seconds per stage, end of speech → first audio",
             "columns": breakdown_columns(), "rows": stage_rows},
            {"title": "end of turn: silence waited on complete turns, premature cut-offs on mid-thought clips "
                      "(a fragment, a 1.0 s pause, the rest)",
             "columns": endpoint_columns(), "rows": endpoint_rows},
            {"title": "STT on clips spoken by Kindred's TTS; TTS real-time factor (compute s / audio s)",
             "columns": ["language", "metric", "error rate", "TTS RTF", "clips"], "rows": accuracy_rows},
            *taking_tables,
        ],
        "figures": figures,
        "notes": [f"LLM '{model}', max {settings.max_reply_tokens} reply tokens; clips fed in real time; the "
                  "endpointer's wait is inside every latency: Smart Turn's for streaming "
                  f"({turn.name if turn else 'not loaded: ' + turn_problem}), the fixed 0.6 s for naive.",
                  "End of turn: clips fed as fast as the listener takes them, waits in audio time (the model's "
                  "compute is not in them); the turn model's verdict on a pause comes after 0.2 s of silence.",
                  "Both pipelines share the models and the machine; on a shared CPU the numbers are noisy.",
                  *taking_notes],
    }
