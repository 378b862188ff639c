"""Crisis detection on every user turn, before any text is generated.

Two opinions, and the more worried one wins:
- rules (:mod:`.rules_en` with :mod:`.framing_en`, :mod:`.rules_ko`) for explicit and indirect statements,
  run on de-obfuscated text ("k1ll mys3lf", "자 살", "쥭고십다") with figures of speech cut out;
  a plan, a threat or an overdose already under way is imminent whatever else the message says;
- a trained classifier for wordings no rule foresaw: a character n-gram model (:mod:`.model`) averaged
  with a linear head on the sentence's meaning (:mod:`.meaning`), and beside them the labelled messages
  nearest in meaning (:mod:`.neighbours`); the more worried witness counts.
The classifier may raise the level a rule gives, never lower it; a figure of speech or
an explicit denial with no literal risk statement caps it at 'low'. Alone (no rule
agreeing) it sends the crisis reply only on a message long enough to read, in words it
was trained on, and when it is sure (``alone_threshold``, chosen on training folds);
otherwise a worried classifier only sets ``gentle_check``: the normal reply asks, in
one line, whether the person is safe (:func:`gentle_check_guidance`). Nothing the person
or the LLM says can switch this off: it runs before generation, and a medium or higher
risk replaces the LLM's reply entirely (see :mod:`kindred.turn`).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import KindredError
from .normalize import normalize
from .rules import RISK_LEVELS, apply_rules, risk_rank

__all__ = ["RISK_LEVELS", "RiskAssessment", "assess", "gentle_check_guidance", "is_short"]

# "hi", "안녕", "what's up", "can't wait": too little text for a classifier's opinion to carry a crisis reply.
SHORT_WORDS = 3
# Below this share of familiar words the message is out of the classifier's domain.
MIN_COVERAGE = 0.5


@dataclass(frozen=True)
class RiskAssessment:
    risk: str  # none | low | medium | high | imminent
    category: str  # none | self_harm | harm_to_others | abuse | medical
    reasons: tuple[str, ...]
    gentle_check: bool = False  # no crisis reply, but the reply should ask gently whether they are safe

    @property
    def needs_crisis_reply(self) -> bool:
        return risk_rank(self.risk) >= risk_rank("medium")


def is_short(normalized: str) -> bool:
    """Three words or fewer (a Korean word, 어절, carries its particles: "지금 칼 들고 있어" is four)."""
    return len(normalized.split()) <= SHORT_WORDS


def assess(text: str, *, use_model: bool = True, vector=None) -> RiskAssessment:
    """Judge one message. ``vector``: its sentence vector, when the caller has it (else it is computed)."""
    normalized = normalize(text)
    verdict = apply_rules(normalized)
    top = verdict.top
    risk, category = (top.risk, top.category) if top else ("none", "none")
    reasons = [rule.reason for rule in verdict.hits]
    if verdict.denied and risk_rank(risk) < risk_rank("low"):
        risk, category = "low", "self_harm"
        reasons.append("risk words, denied")
    gentle = False
    if use_model:
        risk, category, gentle = _with_model(text, normalized, verdict, risk, category, reasons, vector)
    if risk == "none" and verdict.figurative:
        reasons.append("figure of speech")
    return RiskAssessment(risk, category if risk != "none" else "none", tuple(reasons), gentle)


@dataclass(frozen=True)
class ReaderOpinion:
    """One witness of the classifier: its P(risk level) and the cuts chosen for it on training folds."""
    opinion: Any  # model.ModelOpinion
    thresholds: dict[str, float]
    alone_threshold: float  # P(risk >= medium) it needs to send the crisis reply with no rule agreeing


def classifier_opinions(text: str, normalized: str, vector=None) -> tuple[list[ReaderOpinion], Any]:
    """The classifier's witnesses, and the n-gram model (for its vocabulary).

    First the n-gram model averaged with the meaning head when that and a sentence vector are there, else
    the n-gram model alone; then, with a sentence vector, the nearest labelled messages (:mod:`.neighbours`),
    a separate witness with its own cuts: the more worried of the two counts, as with rules and classifier.
    """
    from .meaning import load_head, sentence_vector
    from .model import ModelOpinion, load_model
    from .neighbours import load_neighbours

    model = load_model()
    opinion = model.opinion(normalized)
    head = load_head()
    readers = [ReaderOpinion(opinion, model.thresholds, model.alone_threshold)]
    if head is not None:
        vector = vector if vector is not None else sentence_vector(text)
        if vector is not None:
            blended = ModelOpinion((opinion.risk_probs + head.risk_probs(vector)) / 2, opinion.category_probs)
            readers = [ReaderOpinion(blended, head.thresholds, head.alone_threshold)]
            neighbours = load_neighbours()
            if neighbours is not None:
                nearest = ModelOpinion(neighbours.risk_probs(vector), opinion.category_probs)
                readers.append(ReaderOpinion(nearest, neighbours.thresholds, neighbours.alone_threshold))
    return readers, model


def classifier_level(readers: list[ReaderOpinion]) -> tuple[ReaderOpinion, str]:
    """The most worried witness and the level it gives."""
    judged = [(reader, _level(reader.opinion, reader.thresholds)) for reader in readers]
    return max(judged, key=lambda pair: (risk_rank(pair[1]), pair[0].opinion.at_least("medium")))


def _level(opinion, thresholds: dict[str, float]) -> str:
    for risk in reversed(RISK_LEVELS[1:]):
        if opinion.at_least(risk) >= thresholds.get(risk, 0.5):
            return risk
    return "none"


def _with_model(text: str, normalized: str, verdict, risk: str, category: str,
                reasons: list[str], vector=None) -> tuple[str, str, bool]:
    try:
        readers, model = classifier_opinions(text, normalized, vector)
    except KindredError as exc:
        # A broken install must not silence the rules: carry on with them, and say so in the event.
        reasons.append(f"classifier unavailable ({exc.code})")
        return risk, category, False
    worried, level = classifier_level(readers)
    opinion = worried.opinion
    if (verdict.figurative or verdict.denied) and not verdict.hits:
        level = min(level, "low", key=risk_rank)
    gentle = False
    if not verdict.hits and risk_rank(level) >= risk_rank("medium"):
        # Alone, the classifier is a weaker witness than a rule: it may send the crisis reply (medium) only
        # on text it can read and is sure of; otherwise the reply asks gently instead of sounding the alarm.
        sure = any(r.opinion.at_least("medium") >= r.alone_threshold for r in readers
                   if risk_rank(_level(r.opinion, r.thresholds)) >= risk_rank("medium"))
        coverage = model.coverage(normalized)
        if sure and not is_short(normalized) and coverage >= MIN_COVERAGE:
            level = "medium"
        else:
            why = "short" if is_short(normalized) else "unfamiliar words" if coverage < MIN_COVERAGE else "unsure"
            reasons.append(f"classifier alone: {level} (p={opinion.at_least('medium'):.2f}), {why}: gentle check")
            return max(risk, "low", key=risk_rank), opinion.category, True
    if risk_rank(level) > risk_rank(risk):
        reasons.append(f"classifier: {level} (p={opinion.at_least(level):.2f})")
        return level, category if verdict.hits else opinion.category, gentle
    return risk, category, gentle


GENTLE_CHECK = {
    "en": "Something in their message may be heavier than it looks. Answer it as usual, and gently ask, in one "
          "short line, whether they are safe right now; no alarm, no lecture, no helpline numbers.",
    "ko": "Something in their message may be heavier than it looks. Answer it as usual, and gently ask, in one "
          "short Korean line (for example 혹시 지금 괜찮은 거지?), whether they are safe right now; no alarm, "
          "no lecture, no helpline numbers.",
}


def gentle_check_guidance(assessment: RiskAssessment, language: str) -> str | None:
    """The prompt's guidance line when the reply should ask gently whether they are safe, else None."""
    if not getattr(assessment, "gentle_check", False) or assessment.needs_crisis_reply:
        return None  # (a stand-in assessment without the field, as some storage tests use, asks nothing)
    return GENTLE_CHECK["ko" if language == "ko" else "en"]
