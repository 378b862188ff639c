"""One reading of the user from what they say, how they sound and how they look.

Each modality counts in proportion to its own confidence times a prior for how much that kind
of signal can be trusted (words most, a 64×64 face less, prosody only for arousal). Labels are
fused on the common ground of both classifiers: Ekman's six groups plus neutral (FER2013's seven
labels are exactly those; GoEmotions publishes the mapping). The text's fine GoEmotions labels
are kept beside them, because "grief" and "disappointment" call for different replies.

Disagreement is kept, not averaged away: a smiling face over sad words averages to "neutral",
which is the one thing it is not. Each clash is listed as a :class:`Disagreement` and lowers the
fused confidence, so what comes after can ask rather than assume.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..perception.emotion.taxonomy import AROUSAL, EKMAN_GROUPS, VALENCE, ekman_view
from ..perception.face import AS_EKMAN, FaceReading
from .reading import EmotionReading

EKMAN_LABELS: tuple[str, ...] = tuple(EKMAN_GROUPS)
# How far each kind of signal is trusted at equal confidence. Words carry most of what people
# mean; FER2013 models reach ~66% on posed faces and less on real ones; prosody only says how
# stirred someone is, not whether it is pleasant.
PRIOR = {"text": 1.0, "face": 0.7, "voice": 0.5}
MIN_CONFIDENCE = 0.25  # a modality below this is reported but never used to claim a disagreement
CLASH_PENALTY = 0.7  # fused confidence is multiplied by this for each disagreement (once)
_NEGATIVE_GROUP_WORDS = {"sadness": "sad", "anger": "angry", "fear": "worried", "disgust": "upset"}


@dataclass(frozen=True)
class VoiceReading:
    """What prosody says: how stirred the voice sounds (0 flat … 1 agitated) and how sure that is."""

    arousal: float
    confidence: float


@dataclass(frozen=True)
class Contribution:
    modality: str  # text | face | voice
    weight: float  # the modality's share of the fused arousal (0 … 1)
    valence: float | None  # None for voice, which says nothing about valence
    arousal: float
    confidence: float
    top: str  # the modality's own strongest label ("" for voice)


@dataclass(frozen=True)
class Disagreement:
    kind: str  # masking | strained_cheer | arousal_mismatch | valence_conflict
    modalities: tuple[str, ...]
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


@dataclass(frozen=True)
class FusedReading:
    labels: tuple[tuple[str, float], ...]  # Ekman groups + neutral, most likely first
    valence: float  # -1 … 1
    arousal: float  # 0 … 1
    confidence: float  # 0 … 1
    contributions: tuple[Contribution, ...]
    disagreements: tuple[Disagreement, ...] = ()
    text_labels: tuple[tuple[str, float], ...] = ()  # the text's GoEmotions labels, when there was text
    text_active: tuple[str, ...] = ()
    language: str = "other"

    @property
    def top(self) -> str:
        return self.labels[0][0] if self.labels else "neutral"

    @property
    def masking(self) -> bool:
        return any(d.kind in {"masking", "strained_cheer"} for d in self.disagreements)

    def probability(self, label: str) -> float:
        """A GoEmotions label from the text, or an Ekman group from the fused labels."""
        return dict(self.text_labels).get(label, dict(self.labels).get(label, 0.0))

    def to_dict(self) -> dict[str, object]:
        return {
            "labels": [list(item) for item in self.labels], "valence": self.valence, "arousal": self.arousal,
            "confidence": self.confidence,
            "contributions": [c.__dict__ for c in self.contributions],
            "disagreements": [str(d) for d in self.disagreements],
        }


def _normalised(dist: dict[str, float]) -> dict[str, float]:
    total = sum(dist.values())
    return {k: v / total for k, v in dist.items()} if total > 0 else {"neutral": 1.0}


def text_groups(text: EmotionReading) -> dict[str, float]:
    """The text reading on the Ekman groups, as a distribution."""
    return _normalised(ekman_view(dict(text.labels)))


def face_groups(face: FaceReading) -> dict[str, float]:
    return _normalised({AS_EKMAN[label]: p for label, p in face.labels})


def fuse(text: EmotionReading | None = None, face: FaceReading | None = None,
         voice: VoiceReading | None = None) -> FusedReading:
    """Merge whichever readings there are into one; with none, a neutral reading of no confidence."""
    parts: list[tuple[str, float, float | None, float, float, str, dict[str, float] | None]] = []
    if text is not None:
        parts.append(("text", PRIOR["text"] * text.confidence, text.valence, text.arousal, text.confidence,
                      text.top, text_groups(text)))
    if face is not None and face.found:
        parts.append(("face", PRIOR["face"] * face.confidence, face.valence, face.arousal, face.confidence,
                      face.top, face_groups(face)))
    if voice is not None:
        parts.append(("voice", PRIOR["voice"] * voice.confidence, None, voice.arousal, voice.confidence, "", None))

    arousal_weight = sum(w for _, w, *_ in parts)
    valence_weight = sum(w for _, w, v, *_ in parts if v is not None)
    valence = sum(w * v for _, w, v, *_ in parts if v is not None) / valence_weight if valence_weight else \
        VALENCE["neutral"]
    arousal = sum(w * a for _, w, _, a, *_ in parts) / arousal_weight if arousal_weight else AROUSAL["neutral"]
    groups = {g: 0.0 for g in EKMAN_LABELS}
    for _, w, _, _, _, _, dist in parts:
        for group, p in (dist or {}).items():
            groups[group] += w * p / valence_weight if valence_weight else 0.0
    if not valence_weight:
        groups["neutral"] = 1.0
    contributions = tuple(
        Contribution(m, round(w / arousal_weight, 4) if arousal_weight else 0.0,
                     None if v is None else round(v, 4), round(a, 4), round(c, 4), top)
        for m, w, v, a, c, top, _ in parts
    )
    clashes = find_disagreements(text, face, voice)
    # Independent evidence adds up (1 − Π(1 − wᵢ)); a clash means we know less, not more.
    doubt = 1.0
    for _, w, *_ in parts:
        doubt *= 1.0 - min(0.95, w)
    confidence = (1.0 - doubt) * (CLASH_PENALTY if clashes else 1.0)
    return FusedReading(
        labels=tuple(sorted(((g, round(p, 4)) for g, p in groups.items()), key=lambda kv: -kv[1])),
        valence=round(max(-1.0, min(1.0, valence)), 4), arousal=round(max(0.0, min(1.0, arousal)), 4),
        confidence=round(confidence, 4), contributions=contributions, disagreements=clashes,
        text_labels=text.labels if text else (), text_active=text.active if text else (),
        language=text.language if text else "other",
    )


def _negative_word(groups: dict[str, float]) -> str:
    worst = max(_NEGATIVE_GROUP_WORDS, key=lambda g: groups.get(g, 0.0))
    return _NEGATIVE_GROUP_WORDS[worst]


def find_disagreements(text: EmotionReading | None, face: FaceReading | None,
                       voice: VoiceReading | None) -> tuple[Disagreement, ...]:
    """The clashes between confident modalities, most telling first."""
    out: list[Disagreement] = []
    text_ok = text is not None and text.confidence >= MIN_CONFIDENCE
    face_ok = face is not None and face.found and face.confidence >= MIN_CONFIDENCE
    if text_ok and face_ok:
        assert text is not None and face is not None
        smiling = face.top == "happy" or face.valence > 0.3
        if smiling and text.valence < -0.2:
            word = _negative_word(text_groups(text))
            out.append(Disagreement("masking", ("face", "text"), f"smiling face with {word} words"))
        elif text.valence > 0.3 and face.valence < -0.2 and face.top in {"sad", "angry", "fear", "disgust"}:
            out.append(Disagreement("strained_cheer", ("text", "face"),
                                    f"cheerful words with a {_negative_word(face_groups(face))} face"))
        elif abs(text.valence - face.valence) > 0.9:
            out.append(Disagreement("valence_conflict", ("text", "face"),
                                    f"words read {text.valence:+.2f}, face reads {face.valence:+.2f}"))
    if voice is not None and voice.confidence >= MIN_CONFIDENCE:
        heard = [(m, r.arousal) for m, r, ok in (("text", text, text_ok), ("face", face, face_ok)) if ok and r]
        for modality, arousal in heard[:1]:  # words first: they are the steadiest reference
            if voice.arousal - arousal > 0.4:
                out.append(Disagreement("arousal_mismatch", ("voice", modality),
                                        f"tense voice with calm {'words' if modality == 'text' else 'face'}"))
            elif arousal - voice.arousal > 0.4:
                out.append(Disagreement("arousal_mismatch", ("voice", modality),
                                        f"flat voice with excited {'words' if modality == 'text' else 'face'}"))
    return tuple(out)


def from_text(text: EmotionReading) -> FusedReading:
    return fuse(text=text)


__all__ = ["Contribution", "Disagreement", "EKMAN_LABELS", "FusedReading", "PRIOR", "VoiceReading",
           "find_disagreements", "from_text", "fuse"]
