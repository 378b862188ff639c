"""Fuzzing event_from_dict on arbitrary JSON, and the round trip of every event type."""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kindred.events import (
    EVENT_TYPES,
    Audio,
    CheckIn,
    Command,
    EventError,
    Failed,
    Heard,
    Ready,
    Recalled,
    RecalledMemory,
    Replied,
    RunEnded,
    SafetyChecked,
    Seen,
    Token,
    event_from_dict,
)

FUZZ = settings(max_examples=300, deadline=None)
# A malformed log line or web client message is refused with a coded EventError; anything else is a crash.
REJECTIONS = (EventError,)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
FIELD_NAMES = ["turn_id", "user", "session_id", "text", "language", "source", "truncated", "memories", "risk",
               "category", "reasons", "action", "stage", "code", "message", "hint", "labels"]


@FUZZ
@given(data=st.dictionaries(st.sampled_from(["event", *FIELD_NAMES]), JSON, max_size=8)
       | st.fixed_dictionaries({"event": st.sampled_from(sorted(EVENT_TYPES))},
                               optional={name: JSON for name in FIELD_NAMES}))
def test_arbitrary_json_objects_give_an_event_or_a_clean_rejection(data):
    try:
        event = event_from_dict(json.loads(json.dumps(data)))
    except REJECTIONS:
        return
    assert type(event) in EVENT_TYPES.values()


TEXT = st.text(max_size=30)
EVENTS = st.one_of(
    st.builds(Heard, TEXT, TEXT, TEXT, TEXT, TEXT, TEXT, st.booleans()),
    st.builds(Recalled, TEXT, st.lists(st.builds(RecalledMemory, st.integers(0, 99), TEXT, TEXT, TEXT),
                                       max_size=3).map(tuple)),
    st.builds(SafetyChecked, TEXT, TEXT, TEXT, st.lists(TEXT, max_size=3).map(tuple), TEXT),
    st.builds(Token, TEXT, TEXT),
    st.builds(Replied, TEXT, TEXT, TEXT, TEXT, TEXT, st.none() | st.floats(0, 10), st.integers(0, 999),
              st.none() | st.floats(0, 100), TEXT),
    st.builds(Failed, TEXT, TEXT, TEXT, TEXT, TEXT, st.none() | st.integers(0, 60)),
    st.builds(Ready, user=TEXT, voice=st.booleans(), camera=st.booleans()),
    st.builds(RunEnded, TEXT, TEXT, st.floats(0, 100)),
    st.builds(Command, action=TEXT, say=TEXT, language=TEXT, text=TEXT, done=st.none() | st.booleans()),
    st.builds(Audio, TEXT, st.integers(0, 99), st.integers(8000, 48000), st.floats(0, 30), TEXT),
    st.builds(Seen, found=st.booleans(), top=TEXT, confidence=st.floats(0, 1)),
    st.builds(CheckIn, id=st.integers(0, 999), message=TEXT, language=TEXT, due_at=TEXT, reason=TEXT, status=TEXT),
)


@FUZZ
@given(event=EVENTS)
def test_every_event_survives_json(event):
    assert event_from_dict(json.loads(event.to_json())) == event



@FUZZ
@given(data=JSON)
def test_json_that_is_not_an_object_is_rejected_cleanly(data):
    if isinstance(data, dict):
        return
    with pytest.raises(REJECTIONS):
        event_from_dict(data)  # type: ignore[arg-type]


GOOD = {"event": "token", "turn_id": "t1", "text": "hi"}


@pytest.mark.parametrize("data, code", [
    ({"event": "tokens", "turn_id": "t1", "text": "hi"}, "event-unknown"),
    ({"turn_id": "t1", "text": "hi"}, "event-unknown"),
    ({"event": "token", "turn_id": "t1"}, "event-missing-field"),
    ({**GOOD, "colour": "red"}, "event-extra-field"),
    ({**GOOD, "text": 5}, "event-field-type"),
    ({**GOOD, "policy": "yes"}, "event-field-type"),
    ({"event": "recalled", "turn_id": "t", "memories": [{"id": 1, "text": "a", "reason": "b"}]}, "event-missing-field"),
    ({"event": "felt", "turn_id": "t", "labels": [["joy", "high"]], "valence": 0, "arousal": 0, "confidence": 1,
      "state_valence": 0, "state_arousal": 0, "state_label": "joy", "model": "m"}, "event-field-type"),
    (["token"], "event-not-object"),
])
def test_what_is_not_an_event_is_refused_with_a_code_saying_why(data, code):
    with pytest.raises(EventError) as refused:
        event_from_dict(data)
    assert refused.value.code == code and refused.value.hint
    assert event_from_dict(GOOD) == Token("t1", "hi")  # and the good one beside them reads
