"""Reading what a message asks for: to be heard, or for a suggestion; and how a suggestion landed."""
from __future__ import annotations

import re

_I = re.IGNORECASE
_WANTS_TO_BE_HEARD = re.compile(
    r"just (?:listen|need to (?:vent|talk|get (?:this|it) off))|need to vent|just venting|"
    r"don'?t (?:try to )?fix|not looking for (?:advice|solutions)|no advice|hear me out|"
    r"그냥 들어|들어만|하소연|조언\s*(?:은|은\s*말고|말고|하지\s*마)|털어놓", _I)
_ASKS_FOR_SUGGESTION = re.compile(
    r"what (?:should|can|could) i do|any (?:ideas|suggestions|tips)|suggest|recommend|help me (?:feel|calm|relax)|"
    r"what would help|give me (?:some )?advice|"
    r"어떻게 (?:하면|해야)|뭐\s*하면 좋|추천|방법\s*(?:없|있|좀)|조언\s*(?:좀|해)", _I)
_HELPED = re.compile(
    r"(?:that|it|this|walks?|walking|breathing|music) (?:really )?helped|helped a lot|feel(?:ing|s)? better|"
    r"도움\s*(?:이\s*)?(?:됐|되었|많이)|나아졌|좋아졌", _I)
_TAKEN = re.compile(
    r"(?:i'?ll|i will|gonna|going to|let me|ok(?:ay)?,? i'?ll) (?:try|do|go)|i did it|did that|good idea|"
    r"해\s*볼게|해봤|했어|좋은 생각", _I)
_DECLINED = re.compile(
    r"no thanks|not now|not really|i don'?t want|don'?t feel like|maybe later|nah|"
    r"싫어|별로|안\s*할래|됐어|나중에|그럴 기분 아니", _I)


def wants_to_be_heard(text: str) -> bool:
    return bool(_WANTS_TO_BE_HEARD.search(text))


def asks_for_suggestion(text: str) -> bool:
    return bool(_ASKS_FOR_SUGGESTION.search(text)) and not wants_to_be_heard(text)


def outcome_from_reply(text: str) -> str | None:
    """The user's answer to a suggestion as an outcome ('helped', 'taken', 'declined'), or None."""
    if _HELPED.search(text):
        return "helped"
    if _DECLINED.search(text):
        return "declined"
    if _TAKEN.search(text):
        return "taken"
    return None
