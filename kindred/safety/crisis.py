"""Crisis detection on every user turn, before any text is generated.

Two opinions, and the more worried one wins:
- rules (:mod:`.rules_en`, :mod:`.rules_ko`) for explicit and indirect statements,
  run on de-obfuscated text ("k1ll mys3lf", "자 살") with figures of speech cut out;
- a trained character n-gram classifier (:mod:`.model`) for wordings no rule foresaw.
The classifier may raise the level a rule gives, never lower it; a figure of speech or
an explicit denial with no literal risk statement caps it at 'low'. Nothing the
person or the LLM says can switch this off: it runs before generation, and a
medium or higher risk replaces the LLM's reply entirely (see :mod:`kindred.turn`).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import KindredError
from .normalize import normalize
from .rules import RISK_LEVELS, apply_rules, risk_rank

__all__ = ["RISK_LEVELS", "RiskAssessment", "assess"]

CLASSIFIER_ONLY_CONFIDENCE = 0.6


@dataclass(frozen=True)
class RiskAssessment:
    risk: str  # none | low | medium | high | imminent
    category: str  # none | self_harm | harm_to_others | abuse | medical
    reasons: tuple[str, ...]

    @property
    def needs_crisis_reply(self) -> bool:
        return risk_rank(self.risk) >= risk_rank("medium")


def assess(text: str, *, use_model: bool = True) -> RiskAssessment:
    normalized = normalize(text)
    verdict = apply_rules(normalized)
    top = verdict.top
    risk, category = (top.risk, top.category) if top else ("none", "none")
    reasons = [rule.reason for rule in verdict.hits]
    if verdict.denied and risk_rank(risk) < risk_rank("low"):
        risk, category = "low", "self_harm"
        reasons.append("risk words, denied")
    if use_model:
        risk, category = _with_model(normalized, verdict, risk, category, reasons)
    if risk == "none" and verdict.figurative:
        reasons.append("figure of speech")
    return RiskAssessment(risk, category if risk != "none" else "none", tuple(reasons))


def _with_model(normalized: str, verdict, risk: str, category: str, reasons: list[str]) -> tuple[str, str]:
    from .model import load_model

    try:
        model = load_model()
    except KindredError as exc:
        # A broken install must not silence the rules: carry on with them, and say so in the event.
        reasons.append(f"classifier unavailable ({exc.code})")
        return risk, category
    opinion = model.opinion(normalized)
    level = model.level(opinion)
    if (verdict.figurative or verdict.denied) and not verdict.hits:
        level = min(level, "low", key=risk_rank)
    if not verdict.hits:
        # Alone, the classifier (trained on a few hundred messages) is a weaker witness than a rule: it
        # may ask gently (medium) when fairly sure, never sound the alarm ("job interview … nervous").
        sure = opinion.at_least(level) >= CLASSIFIER_ONLY_CONFIDENCE
        level = min(level, "medium" if sure else "low", key=risk_rank)
    if risk_rank(level) > risk_rank(risk):
        reasons.append(f"classifier: {level} (p={opinion.at_least(level):.2f})")
        return level, category if verdict.hits else opinion.category
    return risk, category
