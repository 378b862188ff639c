"""`kindred doctor` on an install without an extra: each missing piece is named with the pip extra that fixes it."""
import pytest

from kindred.cli import doctor_cmd
from kindred.cli.doctor_cmd import FAIL, _encryption_check
from kindred.config import load_settings


@pytest.fixture
def sqlite_home(tmp_path, monkeypatch):
    monkeypatch.setenv("KINDRED_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("KINDRED_DATABASE_URL", raising=False)
    monkeypatch.delenv("KINDRED_PASSPHRASE", raising=False)
    return tmp_path / "home"


def test_a_passphrase_without_sqlcipher_fails_naming_the_privacy_extra(sqlite_home, monkeypatch):
    # A base install: the `privacy` extra's driver is absent. Doctor used to promise "will be created
    # encrypted" while every command then failed to open the database.
    monkeypatch.setattr("kindred.database.encryption.sqlcipher", None)
    monkeypatch.setenv("KINDRED_PASSPHRASE", "correct horse battery staple")
    status, name, text = _encryption_check(load_settings())
    assert (status, name) == (FAIL, "encryption")
    assert "pip install 'kindred[privacy]'" in text and "sqlcipher3" in text


def test_missing_llama_cpp_names_the_llm_extra(sqlite_home, monkeypatch):
    real = doctor_cmd._version
    monkeypatch.setattr(doctor_cmd, "_version", lambda name: None if name == "llama-cpp-python" else real(name))
    line = next(text for status, name, text in doctor_cmd.checks() if name == "llama-cpp-python")
    assert "kindred[llm]" in line and "scripts/install" in line
