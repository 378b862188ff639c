"""Benches that talk (voice, replies) do so in a home of their own: the person's memories are neither
polluted nor read."""
from kindred.bench.fresh_home import fresh_settings
from kindred.config import load_settings


def test_the_bench_uses_the_person_s_models_but_its_own_database(home, tmp_path, monkeypatch):
    monkeypatch.setenv("KINDRED_DATABASE_URL", "postgresql://someone@db.example/kindred")
    mine = load_settings()
    bench_home = tmp_path / "bench"
    bench_home.mkdir()
    settings = fresh_settings("small", bench_home, max_reply_tokens=32)
    assert settings.models_dir.resolve() == mine.models_dir.resolve()
    assert settings.database_location == bench_home / "kindred.db"
    assert mine.home not in settings.database_path.parents
    assert settings.llm == "small" and settings.max_reply_tokens == 32
