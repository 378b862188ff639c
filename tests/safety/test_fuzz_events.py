"""Fuzzing event_from_dict on arbitrary JSON, and the round trip of every event type."""
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kindred.events import (
    EVENT_TYPES,
    Failed,
    Heard,
    Recalled,
    RecalledMemory,
    Replied,
    SafetyChecked,
    Token,
    event_from_dict,
)

FUZZ = settings(max_examples=300, deadline=None)
# What a malformed log line or web client message may raise today; anything else is a crash.
REJECTIONS = (KeyError, TypeError, ValueError)
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
    st.builds(Failed, TEXT, TEXT, TEXT, TEXT, TEXT),
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
