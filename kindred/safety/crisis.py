"""Crisis detection on every user turn, before any text is generated.

Two opinions, and the more worried one wins:
- rules (:mod:`.rules_en`, :mod:`.rules_ko`) for explicit and indirect statements,
  run on de-obfuscated text ("k1ll mys3lf", "자 살", "쥭고십다") with figures of speech cut out;
  a plan, a threat or an overdose already under way is imminent whatever else the message says;
- a trained character n-gram classifier (:mod:`.model`) for wordings no rule foresaw.
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


def classifier_opinion(text: str, normalized: str, vector=None):
    """The classifier's opinion, its thresholds and its alone-threshold: the n-gram model averaged with the
    meaning head when that and a sentence vector are there, else the n-gram model alone."""
    from .meaning import load_head, sentence_vector
    from .model import ModelOpinion, load_model

    model = load_model()
    opinion = model.opinion(normalized)
    head = load_head()
    if head is not None:
        vector = vector if vector is not None else sentence_vector(text)
        if vector is not None:
            blended = ModelOpinion((opinion.risk_probs + head.risk_probs(vector)) / 2, opinion.category_probs)
            return blended, head.thresholds, head.alone_threshold, model
    return opinion, model.thresholds, model.alone_threshold, model


def _level(opinion, thresholds: dict[str, float]) -> str:
    for risk in reversed(RISK_LEVELS[1:]):
        if opinion.at_least(risk) >= thresholds.get(risk, 0.5):
            return risk
    return "none"


def _with_model(text: str, normalized: str, verdict, risk: str, category: str,
                reasons: list[str], vector=None) -> tuple[str, str, bool]:
    try:
        opinion, thresholds, alone_threshold, model = classifier_opinion(text, normalized, vector)
    except KindredError as exc:
        # A broken install must not silence the rules: carry on with them, and say so in the event.
        reasons.append(f"classifier unavailable ({exc.code})")
        return risk, category, False
    level = _level(opinion, thresholds)
    if (verdict.figurative or verdict.denied) and not verdict.hits:
        level = min(level, "low", key=risk_rank)
    gentle = False
    if not verdict.hits and risk_rank(level) >= risk_rank("medium"):
        # Alone, the classifier is a weaker witness than a rule: it may send the crisis reply (medium) only
        # on text it can read and is sure of; otherwise the reply asks gently instead of sounding the alarm.
        sure = opinion.at_least("medium") >= alone_threshold
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
