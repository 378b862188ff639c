"""Fuzzing load_settings on arbitrary config.toml files: Settings or ConfigError, nothing else."""
import dataclasses
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kindred.config import Settings, load_settings
from kindred.errors import ConfigError

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
KEYS = [f.name for f in dataclasses.fields(Settings)] + ["unknown_key", "Home"]
FINITE = st.floats(allow_nan=False, allow_infinity=False)
VALUES = st.one_of(st.integers(-10**20, 10**20), FINITE, st.booleans(), st.text(max_size=40),
                   st.lists(st.integers(-5, 5), max_size=3))


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(map(str, value)) + "]"
    return json.dumps(value)  # a JSON string is a valid TOML basic string


def _load(tmp_path, body: bytes):
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    (home / "config.toml").write_bytes(body)
    return load_settings(env={"KINDRED_HOME": str(home)})


@FUZZ
@given(body=st.binary(max_size=400))
def test_arbitrary_bytes_give_settings_or_config_error(tmp_path, body):
    try:
        assert isinstance(_load(tmp_path, body), Settings)
    except ConfigError as exc:
        assert exc.hint


@FUZZ
@given(entries=st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=6))
def test_well_formed_toml_with_any_values_gives_settings_or_config_error(tmp_path, entries):
    body = "\n".join(f"{key} = {_toml_value(value)}" for key, value in entries.items())
    try:
        loaded = _load(tmp_path, body.encode())
    except ConfigError as exc:
        assert exc.hint
        return
    assert loaded.home == tmp_path / "home"  # a config file cannot move the data directory


def test_an_infinite_number_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError):
        _load(tmp_path, b"max_input_chars = inf")
