import pytest

from kindred.config import load_settings
from kindred.errors import ConfigError


def test_defaults_follow_kindred_home(home):
    settings = load_settings()
    assert settings.home == home and settings.database_path == home / "kindred.db"
    assert settings.llm == "embedded"


def test_toml_then_environment_then_overrides(home, monkeypatch):
    home.mkdir(parents=True)
    (home / "config.toml").write_text('user = "mina"\nregister_ko = "jondaetmal"\nmax_reply_tokens = 80\n')
    monkeypatch.setenv("KINDRED_MAX_REPLY_TOKENS", "120")
    settings = load_settings(user="jun")
    assert settings.register_ko == "jondaetmal"
    assert settings.max_reply_tokens == 120
    assert settings.user == "jun"


@pytest.mark.parametrize("content, fragment", [
    ("user = ", "not valid TOML"),
    ("colour = 'blue'", "Unknown setting"),
    ("max_reply_tokens = 'many'", "invalid value"),
])
def test_bad_config_gives_a_coded_error_with_a_fix(home, content, fragment):
    home.mkdir(parents=True)
    (home / "config.toml").write_text(content)
    with pytest.raises(ConfigError) as info:
        load_settings()
    assert fragment in info.value.message and info.value.hint


def test_database_url_picks_postgresql_and_its_absence_the_sqlite_file(home, monkeypatch):
    assert load_settings().database_location == home / "kindred.db"
    monkeypatch.setenv("KINDRED_DATABASE_URL", "postgresql://kindred@127.0.0.1:5432/kindred")
    assert load_settings().database_location == "postgresql://kindred@127.0.0.1:5432/kindred"


def test_a_passphrase_in_config_toml_is_refused_with_the_way_to_set_it(tmp_path):
    (tmp_path / "config.toml").write_text('passphrase = "hunter22"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_settings(env={"KINDRED_HOME": str(tmp_path)})
    assert refused.value.code == "config-secret" and "KINDRED_PASSPHRASE" in refused.value.hint
