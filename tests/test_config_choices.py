"""Settings with a fixed set of values are checked at load: a value outside it is a coded error, never ignored."""
import pytest

from kindred.config import Settings, load_settings
from kindred.config_choices import LOCALES, REGISTERS
from kindred.errors import ConfigError
from kindred.learning.preferences import REGISTERS as PREFERENCE_REGISTERS
from kindred.safety.crisis_reply import HELPLINES


@pytest.mark.parametrize("line, setting, allowed", [
    ('locale = "en-AU"', "locale", ["auto", "en-US", "en-GB", "ko-KR"]),
    ('locale = "ko"', "locale", ["ko-KR"]),
    ('register_ko = "banmall"', "register_ko", ["banmal", "jondaetmal"]),
    ('memory_extraction = "smart"', "memory_extraction", ["llm", "rules"]),
    ('llm = "gpt-4"', "llm", ["embedded", "small", ".gguf", "llm_url"]),
])
def test_a_value_outside_the_set_names_the_allowed_ones_and_where_to_change_it(home, line, setting, allowed):
    home.mkdir(parents=True)
    (home / "config.toml").write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_settings()
    error = refused.value
    assert error.code == "config-choice" and f"'{setting}'" in error.message
    assert all(value in error.hint for value in allowed), error.hint
    assert "config.toml" in error.hint and f"KINDRED_{setting.upper()}" in error.hint


def test_the_environment_is_checked_as_the_file_is(home, monkeypatch):
    monkeypatch.setenv("KINDRED_REGISTER_KO", "polite")
    with pytest.raises(ConfigError) as refused:
        load_settings()
    assert refused.value.code == "config-choice" and "jondaetmal" in refused.value.hint


def test_an_unknown_time_zone_setting_is_a_coded_error(home, monkeypatch):
    monkeypatch.setenv("KINDRED_TIMEZONE", "Asia/Seol")
    with pytest.raises(ConfigError) as refused:
        load_settings()
    error = refused.value
    assert error.code == "timezone-unknown" and "Did you mean Asia/Seoul?" in error.message
    assert "KINDRED_TIMEZONE" in error.hint


def test_settings_built_in_code_are_checked_too(home):
    with pytest.raises(ConfigError):
        Settings(locale="fr-FR")
    with pytest.raises(ConfigError):
        load_settings().with_overrides(register_ko="haoche")


@pytest.mark.parametrize("changes", [
    {"locale": "en-GB"}, {"locale": "auto"}, {"register_ko": "jondaetmal"}, {"memory_extraction": "rules"},
    {"llm": "small"}, {"llm": "/models/my-model.Q4_K_M.gguf"}, {"timezone": "Asia/Seoul"}, {"timezone": ""},
])
def test_every_allowed_value_loads(home, changes):
    settings = load_settings(**changes)
    assert all(getattr(settings, name) == value for name, value in changes.items())


def test_the_lists_are_the_ones_the_code_uses():
    assert set(LOCALES) == {"auto", *HELPLINES}  # a locale is allowed exactly when it has help lines
    assert set(REGISTERS) == set(PREFERENCE_REGISTERS)
