"""Choosing how to respond: one or two ESConv support strategies and a tone, with the reason why.

ESConv (Liu et al., ACL 2021, arXiv:2106.01144) names the eight strategies trained supporters
use and observes a typical order: explore (questions), comfort (reflection, reassurance), then
act (suggestions, information). The chooser follows that:

1. *What is going on*: a situation from the fused reading (its feeling families, valence, and
   any disagreement between face and words) and the message's cues (:mod:`.cues`).
2. *Where the conversation is going*: the trajectory of earlier readings: a mood that lifts or
   drops changes the tone; a hard feeling that persists moves from comfort towards action.
3. *What we know*: recalled emotional memories (a loss, an ongoing struggle) and the person's
   learned preference for listening or advice.

Pure and cheap: no model is loaded here; the caller passes readings in.
"""
from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from .cues import Cues, read_cues
from .fusion import FusedReading
from .guidance import guidance_lines
from .stage import read_moment, stage_strategies

STRATEGIES: tuple[str, ...] = (
    "question", "restatement_or_paraphrasing", "reflection_of_feelings", "self_disclosure",
    "affirmation_and_reassurance", "providing_suggestions", "information", "others",
)
TONES: tuple[str, ...] = ("comforting", "celebrating", "curious", "playful", "calm", "serious")
# Flags a memory can carry (set by whoever recalls it); free text is only quoted in `why`.
MEMORY_FLAGS = ("loss", "anniversary", "ongoing_struggle", "conflict", "celebration")

# situation → (strategies, tone, how it reads in `why`)
PLAYBOOK: dict[str, tuple[tuple[str, str], str, str]] = {
    "grief": (("reflection_of_feelings", "affirmation_and_reassurance"), "comforting", "grieving"),
    "sadness": (("reflection_of_feelings", "affirmation_and_reassurance"), "comforting", "sad"),
    "exhaustion": (("reflection_of_feelings", "affirmation_and_reassurance"), "comforting", "worn out"),
    "loneliness": (("reflection_of_feelings", "self_disclosure"), "comforting", "lonely"),
    "anxiety": (("affirmation_and_reassurance", "question"), "calm", "anxious"),
    "anger": (("reflection_of_feelings", "restatement_or_paraphrasing"), "calm", "angry"),
    "hostility": (("restatement_or_paraphrasing", "question"), "calm", "frustrated with me"),
    "masked": (("question", "reflection_of_feelings"), "calm", "possibly hiding a hurt"),
    "good_news": (("affirmation_and_reassurance", "question"), "celebrating", "happy"),
    "fun": (("self_disclosure", "question"), "playful", "amused"),
    "boredom": (("providing_suggestions", "question"), "playful", "bored"),
    "neutral": (("question", "restatement_or_paraphrasing"), "curious", "even"),
}
# What a cue adds to the model's feeling families (see with_cue_evidence).
CUE_EVIDENCE: dict[str, dict[str, float]] = {
    "loss": {"sadness": 0.5, "grief": 0.4}, "setback": {"sadness": 0.35}, "worry": {"fear": 0.45},
    "angry_words": {"anger": 0.45}, "lonely": {"sadness": 0.3}, "exhausted": {"sadness": 0.25},
    "good_news": {"joy": 0.45}, "blames_someone": {"anger": 0.15},
}
# What a message does when it asks for no particular move (stage.ACTS); only these let the feeling lead.
_PLAIN_ACTS = frozenset({"told", "answered", "said_little"})
NEGATIVE = {"grief", "sadness", "exhaustion", "loneliness", "anxiety", "anger", "hostility", "masked"}
LIFTED = -0.25  # an earlier mean valence below this counts as a hard place to come up from
DROPPED = 0.2  # an earlier mean valence above this counts as a good place to fall from


@dataclass(frozen=True)
class ResponsePlan:
    """What the reply should do and sound like; the turn loop wraps it in a ``Chose`` event."""

    strategies: tuple[str, ...]  # 1–2 ESConv strategies, the first leads
    tone: str  # comforting | celebrating | curious | playful | calm | serious
    why: str  # one or two sentences a person can read
    situation: str  # a PLAYBOOK key
    noticed: tuple[str, ...] = ()  # disagreements between face, voice and words

    def to_dict(self) -> dict[str, object]:
        return {"strategies": list(self.strategies), "tone": self.tone, "why": self.why,
                "situation": self.situation, "noticed": list(self.noticed)}


def _families(fused: FusedReading) -> dict[str, float]:
    """Feeling families, from the text's fine labels where there are some, else the fused groups."""
    fine = dict(fused.text_labels)
    groups = dict(fused.labels)
    face_share = sum(c.weight for c in fused.contributions if c.modality == "face")

    def blend(names: tuple[str, ...], group: str) -> float:
        words = max((fine.get(n, 0.0) for n in names), default=0.0) if fine else groups.get(group, 0.0)
        return (1 - face_share) * words + face_share * groups.get(group, 0.0)

    return {
        "grief": fine.get("grief", 0.0),
        "sadness": blend(("sadness", "disappointment", "remorse", "grief", "embarrassment"), "sadness"),
        "fear": blend(("fear", "nervousness"), "fear"),
        "anger": blend(("anger", "annoyance", "disapproval", "disgust"), "anger"),
        "joy": blend(("joy", "excitement", "pride", "gratitude", "admiration", "optimism", "relief", "love"), "joy"),
        "amusement": fine.get("amusement", 0.0),
        "neutral": groups.get("neutral", 0.0),
    }


def _evidence_weight(reading: FusedReading) -> float:
    """How much a reading says: confident and not neutral (like :func:`..state.evidence`)."""
    return reading.confidence * (1.0 - 0.8 * dict(reading.labels).get("neutral", 0.0))


def conversation_families(fused: FusedReading, trajectory: Sequence[FusedReading] = ()) -> dict[str, float]:
    """Families of this message, with the last two messages' behind it at ½ and ¼ weight.

    A short follow-up ("she basically raised me") says little alone; what came just before
    fills it in. A clear new feeling outweighs the older ones, so a change of mood shows at once.
    """
    parts = [(_evidence_weight(fused) + 0.15, _families(fused))]
    for age, reading in enumerate(reversed(trajectory[-2:]), start=1):
        parts.append((0.5 ** age * _evidence_weight(reading), _families(reading)))
    total = sum(w for w, _ in parts)
    return {k: sum(w * fam[k] for w, fam in parts) / total for k in parts[0][1]}


def with_cue_evidence(families: dict[str, float], cues: Cues, earlier: Cues | None = None) -> dict[str, float]:
    """Add what the cues say to what the model read (noisy-or; earlier messages' cues at half)."""
    out = dict(families)
    for source, scale in ((cues, 1.0), (earlier, 0.5)):
        for cue in source.found if source is not None else ():
            for family, p in CUE_EVIDENCE.get(cue, {}).items():
                out[family] = out[family] + scale * p * (1.0 - out[family])
    return out


def situation_of(fused: FusedReading, cues: Cues, earlier: Cues | None = None,
                 earlier_valence: float | None = None, trajectory: Sequence[FusedReading] = ()) -> str:
    """The PLAYBOOK key that best describes this moment."""
    fam = with_cue_evidence(conversation_families(fused, trajectory), cues, earlier)
    negative = max(fam["sadness"], fam["fear"], fam["anger"])
    if fused.masking:
        return "masked"
    hurt_before = earlier_valence is not None and earlier_valence < LIFTED
    bad_event = bool({"loss", "setback"} & (cues.found | (earlier.found if earlier else frozenset())))
    # Playing down: "it's fine haha" after (or about) something that hurts. Laughter alone is not masking.
    if "minimising" in cues and (bad_event or hurt_before or (negative >= 0.25 and fam["amusement"] < 0.5)):
        return "masked"
    if "hostile_to_companion" in cues:
        return "hostility"
    positive = max(fam["joy"], fam["amusement"])
    if "good_news" in cues and fused.valence > -0.2 and positive >= negative * 0.8:
        return "good_news"
    if "lonely" in cues and fam["joy"] < 0.5:
        return "loneliness"
    if "bored" in cues and fam["joy"] < 0.5:
        return "boredom"
    if positive > negative and (fused.valence > 0.15 or positive >= 0.35):
        return "fun" if fam["amusement"] > fam["joy"] else "good_news"
    if negative >= 0.15 or fused.valence < -0.2:
        if "exhausted" in cues:
            return "exhaustion"
        strongest = max(("sadness", "fear", "anger"), key=fam.__getitem__)
        if strongest == "sadness":
            return "grief" if fam["grief"] >= 0.15 else "sadness"
        return {"fear": "anxiety", "anger": "anger"}[strongest]
    for cue, situation in (("exhausted", "exhaustion"), ("lonely", "loneliness"), ("bored", "boredom")):
        if earlier is not None and cue in earlier:  # a neutral follow-up keeps the topic it follows
            return situation
    if "exhausted" in cues:
        return "exhaustion"
    return "neutral"


def _mean(values: Sequence[float]) -> float | None:
    return sum(values) / len(values) if values else None


def choose(fused: FusedReading, *, text: str = "", trajectory: Sequence[FusedReading] = (),
           earlier_texts: Sequence[str] = (), memories: Sequence[str] = (),
           memory_flags: Collection[str] = (), advice_vs_listening: str = "balanced",
           message_number: int | None = None, her_last_reply: str = "",
           her_strategies: Sequence[Sequence[str]] = ()) -> ResponsePlan:
    """Choose the strategies and tone for the reply to the message ``text`` read as ``fused``.

    ``trajectory``: this conversation's earlier readings, oldest first (not including ``fused``).
    ``earlier_texts``: the user's earlier messages, for cues a short follow-up leaves implicit.
    ``advice_vs_listening``: listen | balanced | advice (``advise`` is read as ``advice``).
    ``message_number``: which of the person's messages in this conversation this is (from 1;
    unknown: counted from ``earlier_texts``). ``her_last_reply``: what she said last, if anything.
    ``her_strategies``: the strategies she chose for the earlier messages, oldest first (the turn
    context carries them), so the next move can follow from the last.

    The feeling decides the tone and fills the strategy the stage leaves open; where the
    conversation is and what the person just did (:mod:`.stage`) decide the lead.
    """
    language = fused.language
    cues = read_cues(text, language)
    earlier = read_cues(" \n".join(earlier_texts[-3:]), language) if earlier_texts else None
    before = _mean([r.valence for r in trajectory[-2:] if r.confidence > 0.1])
    situation = situation_of(fused, cues, earlier, before, trajectory)
    (feeling_lead, feeling_second), tone, feeling = PLAYBOOK[situation]
    reasons = [f"They seem {feeling}" + _evidence(fused, situation) + "."]
    preference = "advice" if advice_vs_listening == "advise" else advice_vs_listening

    # Trajectory: the tone follows a mood that moves; a hard feeling that stays moves towards action.
    previous = _previous_situation(trajectory, earlier_texts, language)
    was_hard = previous in NEGATIVE if previous else before is not None and before < LIFTED
    was_good = previous in {"good_news", "fun"} if previous else before is not None and before > DROPPED
    if trajectory and was_hard and situation not in NEGATIVE:
        reasons.append(f"Their mood has lifted since earlier ({PLAYBOOK[previous][2] + ' → ' if previous else ''}"
                       f"{feeling}; valence {trajectory[-1].valence:+.2f} → {fused.valence:+.2f}).")
        if situation == "neutral":
            tone = "calm"
    elif trajectory and was_good and situation in NEGATIVE:
        reasons.append(f"Their mood has dropped since earlier ({PLAYBOOK[previous][2] + ' → ' if previous else ''}"
                       f"{feeling}; valence {trajectory[-1].valence:+.2f} → {fused.valence:+.2f}).")
    hard_run = sum(1 for r in trajectory[-3:] if r.valence < -0.2)

    message = message_number if message_number is not None else len(earlier_texts) + 1
    moment = read_moment(text, cues, message=message, preference=preference, hard_run=hard_run,
                         earlier_texts=earlier_texts, earlier=earlier, her_last_reply=her_last_reply,
                         language=language, her_strategies=her_strategies)
    if situation in {"masked", "hostility"} and moment.act not in {"asked_advice", "asked_info"}:
        # A hurt played down, or anger at her: the feeling's own move comes before any stage.
        first, second = feeling_lead, feeling_second
    else:
        first, second, stage_why = stage_strategies(moment, feeling_lead)
        reasons.append(stage_why)
        if moment.stage == "exploring" and situation == "anxiety" and moment.act in _PLAIN_ACTS:
            # Fear early on: reassure first ("it makes sense to be nervous"), then keep finding out.
            first, second = "affirmation_and_reassurance", "question"
            reasons.append("They are anxious: reassure before asking more.")
    if preference == "listen" and "providing_suggestions" in (first, second):
        if moment.act == "asked_advice":
            first, second = feeling_lead, "providing_suggestions"
            reasons.append("They asked what to do, but usually prefer to be heard first.")
        else:
            first, second = ((first, "restatement_or_paraphrasing") if first != "providing_suggestions"
                             else (feeling_lead, "question" if feeling_lead != "question" else "self_disclosure"))
            reasons.append("They prefer listening to advice.")
    elif (preference == "advice" and situation in NEGATIVE - {"masked", "hostility"} and hard_run >= 2
          and "providing_suggestions" not in (first, second)):
        second = "providing_suggestions"
        reasons.append("The hard feeling has lasted several messages and they like practical help.")
    if first == "information" and situation in {"anxiety", "anger"}:
        tone = "serious"

    # Memories: a known loss or struggle deepens comfort; good news after a struggle is progress.
    flags = set(memory_flags)
    if flags & {"loss", "anniversary"} and situation in {"grief", "sadness", "masked", "loneliness"}:
        tone = "comforting"
        reasons.append("A loss they shared before is in mind" + _quote(memories) + ".")
    elif "ongoing_struggle" in flags and situation == "good_news":
        second = "affirmation_and_reassurance" if first != "affirmation_and_reassurance" else second
        reasons.append("This is progress on something they have struggled with" + _quote(memories) + ".")
    elif memories and situation == "neutral":
        reasons.append("Something they shared before may be worth asking about" + _quote(memories) + ".")

    noticed = tuple(str(d) for d in fused.disagreements)
    if noticed:
        reasons.append(f"Noticed: {noticed[0]}.")
    chosen = (first,) if second == first else (first, second)
    reasons.append(f"So: {' + '.join(s.replace('_', ' ') for s in chosen)}, in a {tone} tone.")
    return ResponsePlan(chosen, tone, " ".join(reasons), situation, noticed)


def _previous_situation(trajectory: Sequence[FusedReading], earlier_texts: Sequence[str], language: str) -> str:
    """The situation of the message before this one, read the same way ("" when unknown)."""
    if not trajectory or len(earlier_texts) < len(trajectory):
        return ""
    texts = list(earlier_texts[-len(trajectory):])
    context = read_cues(" \n".join(texts[-3:-1]), language) if len(texts) > 1 else None
    return situation_of(trajectory[-1], read_cues(texts[-1], language), context, None, trajectory[:-1])


def _evidence(fused: FusedReading, situation: str) -> str:
    if situation == "masked" and fused.masking:
        return ""
    labels = [label for label, p in fused.text_labels[:3] if p >= 0.15 and label != "neutral"]
    if not labels:
        labels = [label for label, p in fused.labels[:2] if p >= 0.2 and label != "neutral"]
    return f" (reading {', '.join(labels)}; valence {fused.valence:+.2f})" if labels else \
        f" (valence {fused.valence:+.2f})"


def _quote(memories: Sequence[str]) -> str:
    if not memories:
        return ""
    text = memories[0].strip()
    return f': "{text[:80]}{"…" if len(text) > 80 else ""}"'


__all__ = ["MEMORY_FLAGS", "PLAYBOOK", "ResponsePlan", "STRATEGIES", "TONES", "choose", "guidance_lines",
           "situation_of"]
