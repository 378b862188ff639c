"""Prompt guidance for a chosen response plan: what each strategy and tone asks of the reply.

The lines go into ``PromptContext.guidance`` (marked [context], never read out). They are in
English because they instruct the model; for Korean replies a line says how the tone sounds in
Korean, since tone there lives largely in sentence endings.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .strategy import ResponsePlan

STRATEGY_TEXT = {
    "question": "ask one open, gentle question that helps them say more",
    "restatement_or_paraphrasing": "say back briefly, in your own words, what happened to them",
    "reflection_of_feelings": "name the feeling you hear and show you understand why they feel it",
    "self_disclosure": "share a small, honest feeling or experience of your own that connects with theirs",
    "affirmation_and_reassurance": "affirm their strengths or their feelings and offer real, not empty, reassurance",
    "providing_suggestions": "offer one or two concrete, small ideas, as options rather than orders",
    "information": "give accurate, useful information, plainly, and say when you are not sure",
    "others": "respond warmly in whatever way fits best",
}
TONE_TEXT = {
    "comforting": "soft, warm and unhurried; short sentences; no jokes, no rushing to fix",
    "celebrating": "glad and bright; share their joy and let it be about them",
    "curious": "interested and open; follow what they say with real interest",
    "playful": "light and a little playful; gentle humour is welcome",
    "calm": "steady and even; do not match any heat, keep your voice level and kind",
    "serious": "careful, direct and respectful; no jokes",
}
KO_TONE_TEXT = {
    "comforting": "in Korean, soften with endings like '-구나', '-겠다', '-었겠네' and avoid exclamations",
    "celebrating": "in Korean, show delight, e.g. '우와', '정말 잘됐다!', '축하해'",
    "curious": "in Korean, ask lightly, e.g. '-어?', '어땠어?', '그래서?'",
    "playful": "in Korean, a light touch is fine, e.g. 'ㅎㅎ' once at most",
    "calm": "in Korean, keep endings plain and even; no 'ㅋㅋ', no exclamation marks",
    "serious": "in Korean, use clear, careful sentences; no 'ㅋㅋ' or 'ㅎㅎ'",
}
MASKING_TEXT = ("They may be holding something back ({detail}). Notice it gently and leave room; "
                "never point it out as a contradiction or tell them how they feel.")


def guidance_lines(plan: ResponsePlan, language: str = "en") -> tuple[str, ...]:
    """Lines for the system prompt that carry the plan (language: the reply's, en | ko | other)."""
    steps = [STRATEGY_TEXT.get(s, STRATEGY_TEXT["others"]) for s in plan.strategies]
    lines = [
        "How to respond this time: " + "; then ".join(steps) + ".",
        f"Tone: {plan.tone} — {TONE_TEXT[plan.tone]}.",
    ]
    if language == "ko":
        lines.append(f"Tone in Korean: {KO_TONE_TEXT[plan.tone]}.")
    for detail in plan.noticed[:1]:
        kind, _, text = detail.partition(": ")
        if kind in {"masking", "strained_cheer"}:
            lines.append(MASKING_TEXT.format(detail=text or detail))
    if plan.situation == "masked" and not plan.noticed:
        lines.append(MASKING_TEXT.format(detail="they play down something that seems to hurt"))
    return tuple(lines)


__all__ = ["KO_TONE_TEXT", "STRATEGY_TEXT", "TONE_TEXT", "guidance_lines"]
