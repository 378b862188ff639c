"""Where the conversation is and what the person just did: the half of the choice feelings cannot make.

Trained supporters (ESConv, Liu et al. 2021) choose by the stage of the talk more than by the
feeling of one message: they open with a question, explore with more, comfort (reassure,
restate, share) once the story is out, and move to suggestions later; thanks and goodbyes get a
warm close. What the person just did overrides the stage: asking for advice gets a suggestion
wherever it comes, a question about her gets something of her own, "that helps" gets
affirmation, and a worry said again gets reassurance.

Her own last moves (the strategies the turn context carries) move the stage on sooner: two of
her questions answered in a row → comfort; two comforting replies in a row → something to do.

The stage boundaries are counted in the person's messages. They were set by reading half of
ESConv's dev conversations (even-numbered) and checked on the other half; no table, weight or
text from ESConv is stored here (its licence is CC BY-NC).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .cues import Cues

EXPLORING_FROM = 2  # message 1 opens; 2–3 explore
COMFORTING_FROM = 4  # 4–5 comfort
ACTING_FROM = 6  # from 6 on: act (suggest), unless they prefer to be heard
WINDING_FROM = 9  # from 9 on, a short message that tells nothing new starts the wind-down
TOLD_WORDS = 20  # a message this long tells what happened, not just answers (English words)
# The same for Korean, counted in Hangul syllables: a Korean word (eojeol) carries particles and
# endings English spells as separate words, so 20 English words come to about 10 eojeol, ~40
# syllables. Set from that ratio, not by scoring the Korean set (which is only evaluated).
TOLD_SYLLABLES_KO = 40
ASKED_ENOUGH = 2  # her questions answered in a row before she stops asking and comforts
COMFORTED_ENOUGH = 2  # comforting moves in a row before she offers something to do, when it is late
COMFORT = frozenset({"reflection_of_feelings", "affirmation_and_reassurance", "restatement_or_paraphrasing"})
GREETING_WORDS = 12  # a hello longer than this already carries the story

STAGES = ("opening", "exploring", "comforting", "acting", "closing")
ACTS = ("greeted", "told", "answered", "asked_advice", "asked_info", "asked_about_her", "helped", "thanked",
        "repeated_worry", "said_goodbye", "said_little")
_WORD = re.compile(r"[\w']+")
_STOP = frozenset("i me my the a an and to of it is was that this so but just i'm im really about have be "
                  "in on for with at you he she they not do don't".split())


@dataclass(frozen=True)
class Moment:
    stage: str  # a STAGES name
    act: str  # an ACTS name: what this message does
    message: int  # the person's messages in this conversation, this one included
    her_last: str = ""  # the strategy her last reply led with ("" before she has answered)
    moved_on: str = ""  # why her own last moves moved the stage on ("" when the count decided it)
    asks: bool = False  # the message asks her something (a question mark), whatever else it does


def _run(leads: Sequence[str], kinds: frozenset[str]) -> int:
    """How many of her latest leads in a row are of these kinds."""
    count = 0
    for lead in reversed(leads):
        if lead not in kinds:
            break
        count += 1
    return count


def told_what_happened(text: str, language: str) -> bool:
    """Long enough to carry the story: English words, Korean syllables (other languages: either)."""
    words = len(_WORD.findall(text))
    syllables = sum("\uac00" <= ch <= "\ud7a3" for ch in text)
    if language == "ko":
        return syllables >= TOLD_SYLLABLES_KO
    return words >= TOLD_WORDS or (language != "en" and syllables >= TOLD_SYLLABLES_KO)


def stage_of(message: int, preference: str, hard_run: int) -> str:
    """The stage by the count of their messages; a hard feeling that lasts with an advice-seeker moves on sooner."""
    if message < EXPLORING_FROM:
        return "opening"
    if message < COMFORTING_FROM:
        return "exploring"
    acting_from = ACTING_FROM - (1 if preference == "advice" and hard_run >= 2 else 0)
    if message < acting_from or preference == "listen":
        return "comforting"
    return "acting"


def _content_words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP and len(w) > 2}


def repeats_a_worry(text: str, cues: Cues, earlier_texts: Sequence[str], earlier: Cues | None) -> bool:
    """The same worry again: a worry now and before, about mostly the same things."""
    if "worry" not in cues or earlier is None or "worry" not in earlier:
        return False
    words = _content_words(text)
    before = set().union(*(_content_words(t) for t in earlier_texts[-3:]))
    return len(words) >= 2 and len(words & before) / len(words) >= 0.4


def read_moment(text: str, cues: Cues, *, message: int, preference: str, hard_run: int,
                earlier_texts: Sequence[str] = (), earlier: Cues | None = None, her_last_reply: str = "",
                language: str = "en", her_strategies: Sequence[Sequence[str]] = ()) -> Moment:
    """What this message does in the conversation, and where the conversation is."""
    stage = stage_of(message, preference, hard_run)
    words = len(_WORD.findall(text))
    if "goodbye" in cues or ("thanks" in cues and message >= EXPLORING_FROM + 1 and "asks_advice" not in cues):
        return Moment("closing", "said_goodbye" if "goodbye" in cues else "thanked", message)
    if "greeting" in cues and message < COMFORTING_FROM and words <= GREETING_WORDS:
        act = "greeted"
    elif "asks_about_her" in cues:
        act = "asked_about_her"
    elif "asks_info" in cues:
        act = "asked_info"
    elif "asks_advice" in cues:
        act = "asked_advice"
    elif "helped" in cues:
        act = "helped"
    elif repeats_a_worry(text, cues, earlier_texts, earlier):
        act = "repeated_worry"
    elif told_what_happened(text, language):
        act = "told"
    elif her_last_reply.rstrip().endswith("?"):
        act = "answered"
    else:
        act = "said_little"
    leads = [chosen[0] for chosen in her_strategies if chosen]
    stage, moved_on = _moved_on(stage, act, leads)
    return Moment(stage, act, message, leads[-1] if leads else "", moved_on, "?" in text)


def _moved_on(stage: str, act: str, leads: Sequence[str]) -> tuple[str, str]:
    """Her own last moves move the stage on: questions answered twice → comfort; comforted twice, late → act.

    The count of messages is a rough clock; what she has already done is a better one, and it
    needs no knowledge of how long the conversation will be.
    """
    if act not in {"told", "answered", "said_little"}:
        return stage, ""
    asked = _run(leads, frozenset({"question"}))
    if stage == "exploring" and asked >= ASKED_ENOUGH:
        return "comforting", f"she has asked {asked} times in a row"
    comforted = _run(leads, COMFORT)
    if stage == "comforting" and comforted >= COMFORTED_ENOUGH and act != "told":
        return "acting", f"she has comforted {comforted} times in a row"
    return stage, ""


# (stage, act) → strategies; "*" for the situation's own first strategy (the feeling's playbook).
# Acts that override the stage come first; then each stage's default for telling and for answering.
_BY_ACT: dict[str, tuple[str, str]] = {
    "greeted": ("question", "others"),
    "asked_about_her": ("self_disclosure", "*"),
    "asked_info": ("information", "*"),
    "asked_advice": ("providing_suggestions", "*"),
    "helped": ("affirmation_and_reassurance", "providing_suggestions"),
    "repeated_worry": ("affirmation_and_reassurance", "providing_suggestions"),
    "thanked": ("others", "providing_suggestions"),  # a warm word, and often one last thing to try
    "said_goodbye": ("others", "affirmation_and_reassurance"),
}
_BY_STAGE: dict[tuple[str, bool], tuple[str, str]] = {  # (stage, told what happened?)
    ("opening", False): ("question", "*"), ("opening", True): ("question", "*"),
    ("exploring", False): ("question", "*"), ("exploring", True): ("restatement_or_paraphrasing", "self_disclosure"),
    ("comforting", False): ("question", "affirmation_and_reassurance"),
    ("comforting", True): ("affirmation_and_reassurance", "providing_suggestions"),
    ("acting", False): ("providing_suggestions", "question"),  # a step, and how it sounds to them
    ("acting", True): ("providing_suggestions", "affirmation_and_reassurance"),
}
WHY = {
    "greeted": "They said hello: greet them and ask what is on their mind.",
    "asked_about_her": "They asked about her: share a little of her own.",
    "asked_info": "They asked for information.",
    "asked_advice": "They asked what to do.",
    "helped": "They said it helped: affirm the step.",
    "repeated_worry": "The same worry came back: reassure, then something to do about it.",
    "thanked": "They are thanking her: answer warmly, and leave one last thing to try.",
    "said_goodbye": "They are saying goodbye: close warmly.",
    "opening": "The conversation is just starting: ask, to understand.",
    "exploring": "Still finding out what happened",
    "comforting": "The story is out: comfort",
    "acting": "They have been heard for a while: move towards something to do",
}


def stage_strategies(moment: Moment, feeling_lead: str) -> tuple[str, str, str]:
    """(lead, second, why) for this moment; ``feeling_lead`` fills the "*" slots."""
    told = moment.act == "told"
    pair = _BY_ACT.get(moment.act) or _BY_STAGE[(moment.stage, told)]
    if moment.stage == "acting" and moment.message >= WINDING_FROM and moment.act in {"said_little", "helped"}:
        # A long talk, and a short message with nothing new: start to wind down warmly, leave a step.
        pair = ("others", "providing_suggestions")
    if moment.stage == "comforting" and moment.her_last == "question" and moment.act == "answered":
        # Her question was answered: take in the answer (affirm, say it back) rather than ask again.
        pair = ("affirmation_and_reassurance", "restatement_or_paraphrasing")
    if moment.stage == "comforting" and moment.message < COMFORTING_FROM and told:
        # The story came out early (her questions moved the talk on): take it in, and keep finding out.
        pair = ("affirmation_and_reassurance", "question")
    if moment.stage == "acting" and moment.asks and moment.act in {"told", "answered", "said_little"}:
        # Late in the talk they ask her something: answer it with what she knows, then a step.
        pair = ("information", "providing_suggestions")
    lead, second = (feeling_lead if s == "*" else s for s in pair)
    if second == lead:
        second = "question" if lead != "question" else "affirmation_and_reassurance"
    if moment.act in _BY_ACT:
        why = WHY[moment.act]
    elif moment.stage == "opening":
        why = WHY["opening"]
    else:
        detail = {"told": " after they told what happened", "answered": " after they answered her question"}
        asked = " and they asked her something" if moment.stage == "acting" and moment.asks else ""
        why = f"{WHY[moment.stage]}{detail.get(moment.act, '')}{asked} (message {moment.message}" + \
              (f"; {moment.moved_on}" if moment.moved_on else "") + ")."
    return lead, second, why


__all__ = ["ACTS", "Moment", "STAGES", "read_moment", "stage_of", "stage_strategies"]
