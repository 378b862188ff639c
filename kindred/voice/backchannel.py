"""Was a short burst of speech over her voice a backchannel ("mhm", "응") or the start of a turn?

One fast recognition pass of the burst (Whisper tiny.en for English, base for Korean), prompted
with the words such bursts usually are, backchannels and interruptions alike, so the decoder
spells "mm-hmm" and "그치" as such instead of guessing ("M.H.M.", "Good day") and is not pushed
toward either answer. The transcript is a backchannel when it is made only of backchannel words
(``yeah yeah``, ``oh okay``, ``응응``); anything else that is speech ("wait", "잠깐만", "no") is an
interruption. A burst Whisper hears no words in (a cough, a breath) is not worth stopping for.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .audio import Audio
from .protocols import SpeechToText

BACKCHANNELS = {
    "en": ("mhm", "mm", "mmm", "hmm", "hm", "mm hmm", "mm hm", "uh huh", "uh-huh", "mm-hmm", "yeah", "yes", "yep",
           "yup", "ya", "right", "okay", "ok", "sure", "i see", "oh", "ah", "aha", "wow", "really", "true",
           "exactly", "got it", "cool", "nice", "alright", "all right", "uh", "um", "huh"),
    "ko": ("응", "으응", "엉", "어", "음", "흠", "네", "예", "아", "아하", "오", "와", "맞아", "맞아요", "맞지",
           "그치", "그쵸", "그래", "그래요", "그렇지", "그렇죠", "그렇구나", "그렇군", "진짜", "정말", "헐", "대박",
           "아하", "그럼", "당연하지"),
}
# What the recogniser is primed with: both kinds, so the prompt favours neither answer.
PROMPTS = {
    "en": "Mm-hmm. Yeah. Uh-huh. Right. Okay. I see. Wait. Stop. Hold on. No.",
    "ko": "응. 어. 음. 네. 맞아. 그치. 그래. 그렇구나. 잠깐만. 잠깐. 그만. 아니.",
}


def _normalised(text: str) -> str:
    return re.sub(r"[^\w\s'-]", " ", text.lower()).replace("-", " ")


def is_backchannel_text(text: str, language: str) -> bool:
    """True when the words are all backchannels: "Yeah, yeah.", "Oh, okay.", "응응", "아 그렇구나"."""
    words = set(BACKCHANNELS.get(language, BACKCHANNELS["en"]))
    words |= {w.replace("-", " ") for w in words}
    if language == "ko":  # Korean spacing varies freely: segment the letters themselves
        letters = "".join(_normalised(text).split())
        return bool(letters) and _segments(letters, {w.replace(" ", "") for w in words})
    tokens = _normalised(text).split()
    return bool(tokens) and _segments(tokens, {tuple(w.split()) for w in words})


def _segments(sequence, pieces) -> bool:
    """Whether ``sequence`` (letters or words) is a run of ``pieces``, each used any number of times."""
    reachable = [True] + [False] * len(sequence)
    for end in range(1, len(sequence) + 1):
        reachable[end] = any(reachable[start] and _piece(sequence[start:end]) in pieces for start in range(end))
    return reachable[-1]


def _piece(part):
    return part if isinstance(part, str) else tuple(part)


@dataclass(frozen=True)
class BurstVerdict:
    backchannel: bool
    heard: str  # what the recogniser made of the burst ("" when it heard no words)
    seconds: float  # how long the recognition took


@dataclass
class BackchannelCheck:
    stt: SpeechToText

    def judge(self, burst: Audio, language: str) -> BurstVerdict:
        """Blocking (a Whisper pass): run it in a worker thread."""
        transcript = self.stt.transcribe(burst, language if language in PROMPTS else "en",
                                         prompt=PROMPTS.get(language, PROMPTS["en"]))
        if not transcript.is_speech:
            return BurstVerdict(True, "", transcript.seconds)
        return BurstVerdict(is_backchannel_text(transcript.text, language), transcript.text, transcript.seconds)
