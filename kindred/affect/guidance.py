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
    "question": "end with one short, gentle question about what they said",
    "restatement_or_paraphrasing": "show you got what happened, in a few words of your own",
    "reflection_of_feelings": "start by naming the feeling you hear and why it makes sense",
    "self_disclosure": "share a small, honest feeling of your own about it",
    "affirmation_and_reassurance": "say something true and kind about them",
    "providing_suggestions": "offer one small idea, as an option",
    "information": "answer plainly, and say if you are not sure",
    "others": "answer warmly",
}
TONE_TEXT = {
    "comforting": "soft and unhurried, no jokes",
    "celebrating": "glad and bright, about them",
    "curious": "interested and open",
    "playful": "light, gently playful",
    "calm": "steady and kind, never heated",
    "serious": "careful and direct, no jokes",
}
MASKING_TEXT = "They may be playing down a hurt ({detail}): leave room for it gently, never point it out."


def guidance_lines(plan: ResponsePlan, language: str = "en") -> tuple[str, ...]:
    """One short line for the turn's notes that carries the plan (``language``: the reply's; the
    example exchanges in the prompt already show how each tone sounds in it)."""
    steps = [STRATEGY_TEXT.get(s, STRATEGY_TEXT["others"]) for s in plan.strategies]
    lines = [f"Plan: {'; then '.join(steps)}. Tone: {plan.tone}, {TONE_TEXT[plan.tone]}."]
    for detail in plan.noticed[:1]:
        kind, _, text = detail.partition(": ")
        if kind in {"masking", "strained_cheer"}:
            lines.append(MASKING_TEXT.format(detail=text or detail))
    if plan.situation == "masked" and not plan.noticed:
        lines.append(MASKING_TEXT.format(detail="they seem to shrug off something that hurts"))
    return tuple(lines)


__all__ = ["STRATEGY_TEXT", "TONE_TEXT", "guidance_lines"]
