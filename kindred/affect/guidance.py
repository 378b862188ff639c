"""Prompt guidance for a chosen response plan: what each strategy and tone asks of the reply.

The lines go into ``PromptContext.guidance`` (marked [context], never read out). They are in
English because they instruct the model; for Korean replies a line says how the tone sounds in
Korean, since tone there lives largely in sentence endings.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .strategy import ResponsePlan

# Concrete moves a small model can follow, not principles it would have to interpret.
STRATEGY_TEXT = {
    "question": "ask one gentle question about it",
    "restatement_or_paraphrasing": "show you got what happened, in your own words",
    "reflection_of_feelings": "name the feeling you hear",
    "self_disclosure": "share a small feeling of your own",
    "affirmation_and_reassurance": "say something true and kind about them",
    "providing_suggestions": "offer one small idea, as an option",
    "information": "answer plainly; say if unsure",
    "others": "answer warmly",
}
TONE_TEXT = {
    "comforting": "soft, no jokes",
    "celebrating": "glad and bright",
    "curious": "interested",
    "playful": "light",
    "calm": "steady, never heated",
    "serious": "careful, no jokes",
}
MASKING_TEXT = "They may be playing down a hurt ({detail}): leave room for it gently, never point it out."


def guidance_lines(plan: ResponsePlan, language: str = "en") -> tuple[str, ...]:
    """One short line for the turn's notes that carries the plan (``language``: the reply's; the
    example exchanges in the prompt already show how each tone sounds in it)."""
    steps = [STRATEGY_TEXT.get(s, STRATEGY_TEXT["others"]) for s in plan.strategies]
    lines = [f"Plan: {', then '.join(steps)}. Tone: {plan.tone}, {TONE_TEXT[plan.tone]}."]
    for detail in plan.noticed[:1]:
        kind, _, text = detail.partition(": ")
        if kind in {"masking", "strained_cheer"}:
            lines.append(MASKING_TEXT.format(detail=text or detail))
    if plan.situation == "masked" and not plan.noticed:
        lines.append(MASKING_TEXT.format(detail="they seem to shrug off something that hurts"))
    return tuple(lines)


__all__ = ["STRATEGY_TEXT", "TONE_TEXT", "guidance_lines"]
