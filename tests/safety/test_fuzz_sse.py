"""Fuzzing the OpenAI-compatible stream parser: each line gives None, the end marker, or text."""
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from kindred.dialogue.openai_compat import _END, _sse_piece

FUZZ = settings(max_examples=300, deadline=None)


def _acceptable(piece) -> bool:
    return piece is None or piece is _END or isinstance(piece, str)


@FUZZ
@given(line=st.text(max_size=200))
def test_any_line_parses_without_crashing(line):
    assert _acceptable(_sse_piece(line))


@FUZZ
@given(prefix=st.sampled_from(["data:", "data: ", "event: x", ""]), body=st.text(max_size=100))
def test_any_data_payload_parses_without_crashing(prefix, body):
    assert _acceptable(_sse_piece(prefix + body))


@FUZZ
@given(content=st.text(max_size=50))
def test_a_well_formed_chunk_gives_its_text(content):
    line = "data: " + json.dumps({"choices": [{"delta": {"content": content}}]})
    assert _sse_piece(line) == (content or None)


# Well-formed JSON of the wrong shape, as a misbehaving server might send.
WRONG_SHAPES = st.sampled_from([
    {"choices": [1]}, {"choices": ["x"]}, {"choices": [{"delta": 5}]}, {"choices": [{"delta": "text"}]},
    {"choices": [{"delta": {"content": 5}}]}, {"choices": [{"delta": {"content": ["a"]}}]},
])


@settings(max_examples=30, deadline=None)
@given(chunk=WRONG_SHAPES)
def test_a_chunk_of_the_wrong_shape_is_skipped(chunk):
    assert _acceptable(_sse_piece("data: " + json.dumps(chunk)))
