"""End of turn in `kindred bench voice`: answered at once when complete, not cut off mid-thought.

Clips are spoken by Kindred's own voices and by espeak-ng, in both languages: complete sentences,
and mid-thought clips, a fragment ("I was thinking that maybe", "그래서 내가"), a pause of
``PAUSE_S``, then the rest of the thought. Each goes through the product's listener (webrtcvad
frames, the endpointer, Smart Turn when it loaded) once with the turn model and once with the fixed
silence wait alone. Frames are fed as fast as the listener takes them and the wait is measured in
audio time (the silence the listener consumed after the last voiced frame), so the figures do not
depend on how busy the machine is; the model's own compute time is not in them (the real-time runs'
``endpoint wait`` stage has it). A premature cut-off is a mid-thought clip whose turn ended in the
pause, before the rest of the thought.
"""
from __future__ import annotations

import asyncio
import statistics
from collections.abc import AsyncIterator, Mapping
from typing import Any

from ..voice.audio import STT_RATE, Audio, concat
from ..voice.listen import Listener
from ..voice.prosody import prosody_for
from ..voice.protocols import TextToSpeech, TurnDetector
from ..voice.vad import FRAME_BYTES

PAUSE_S = 1.0  # a pause to think: longer than the fixed wait (0.6 s), shorter than the cap (2.0 s)
LEAD_S, TAIL_S = 0.3, 2.5
MID_THOUGHT = {
    "en": [("I was thinking that maybe", "we could go out for dinner tomorrow."),
           ("So yesterday I went to the", "park with my dog."),
           ("My sister called me and", "we laughed for an hour."),
           ("The thing is, when I get home I just", "want to sleep."),
           ("I don't know, it's like", "nobody listens to me.")],
    "ko": [("그래서 내가", "친구한테 전화를 했어."), ("어제 친구를 만났는데", "정말 반가웠어."),
           ("내일 시험이 있어서", "너무 걱정돼."), ("집에 가서 밥을 먹고", "바로 잤어."),
           ("그런데 갑자기 그 사람이", "나한테 화를 냈어.")],
}


def _spoken(tts: TextToSpeech, text: str, language: str) -> Audio:
    return tts.synthesize(text, language, prosody_for("neutral")).resampled(STT_RATE)


def complete_clip(tts: TextToSpeech, sentence: str, language: str) -> Audio:
    return concat([Audio.silence(LEAD_S, STT_RATE), _spoken(tts, sentence, language), Audio.silence(TAIL_S, STT_RATE)])


def mid_thought_clip(tts: TextToSpeech, fragment: str, rest: str, language: str) -> tuple[Audio, float]:
    """The clip and where the rest of the thought starts in it (seconds)."""
    first = _spoken(tts, fragment, language)
    clip = concat([Audio.silence(LEAD_S, STT_RATE), first, Audio.silence(PAUSE_S, STT_RATE),
                   _spoken(tts, rest, language), Audio.silence(TAIL_S, STT_RATE)])
    return clip, LEAD_S + first.duration_s + PAUSE_S


async def _fed(audio: Audio, fed: list[int]) -> AsyncIterator[bytes]:
    pcm = audio.pcm
    for offset in range(0, len(pcm) - FRAME_BYTES + 1, FRAME_BYTES):
        fed[0] += 1
        yield pcm[offset:offset + FRAME_BYTES]
        await asyncio.sleep(0)  # the turn model runs in a worker thread


async def _listen(audio: Audio, turn: TurnDetector | None) -> tuple[float | None, float, list[bool]]:
    """(silence waited before the end or None when no turn, seconds of the clip consumed, verdicts)."""
    fed = [0]
    listener = Listener(stt=None, speculative=False, turn=turn)  # type: ignore[arg-type]  # no recognition here
    utterance = await listener.next_utterance(_fed(audio, fed))
    if utterance is None:
        return None, fed[0] * 0.03, []
    return utterance.waited_s, fed[0] * 0.03, utterance.verdicts


def _row(language: str, voice: str, method: str, waits: list[float], cut: int, mids: int,
         by_model: int) -> list[object]:
    p50 = statistics.median(waits) if waits else None
    return [language, voice, method, len(waits), p50, by_model, mids, cut]


def run_endpointing(voices: Mapping[str, Mapping[str, TextToSpeech]], sentences: Mapping[str, list[str]],
                    turn: TurnDetector | None) -> tuple[dict[str, Any], list[list[object]]]:
    """Figures and table rows: per language, voice and method, the wait on complete turns and the cut-offs."""
    figures: dict[str, Any] = {}
    rows: list[list[object]] = []
    methods: list[tuple[str, TurnDetector | None]] = [("smart-turn", turn)] if turn is not None else []
    methods.append(("silence", None))
    for language, by_voice in voices.items():
        for voice, tts in by_voice.items():
            completes = [complete_clip(tts, s, language) for s in sentences[language]]
            mids = [mid_thought_clip(tts, f, r, language) for f, r in MID_THOUGHT[language]]
            for method, detector in methods:
                waits, by_model = [], 0
                for clip in completes:
                    waited, _, verdicts = asyncio.run(_listen(clip, detector))
                    if waited is not None:
                        waits.append(waited)
                        by_model += bool(verdicts and verdicts[-1])
                cut = 0
                for clip, rest_at in mids:
                    _, consumed, _ = asyncio.run(_listen(clip, detector))
                    cut += consumed < rest_at  # the turn ended before the rest of the thought began
                rows.append(_row(language, voice, method, waits, cut, len(mids), by_model))
                key = f"endpoint_{method.replace('-', '_')}_{language}_{voice}"
                figures[f"{key}_wait_p50_s"] = round(statistics.median(waits), 3) if waits else None
                figures[f"{key}_premature_cutoffs"] = cut
                figures[f"{key}_mid_thought_clips"] = len(mids)
    return figures, rows


def endpoint_columns() -> list[str]:
    return ["language", "voice", "end of turn", "complete turns", "wait p50 s (audio time)",
            "ended by the model", "mid-thought clips", "premature cut-offs"]
