"""The bench's reading cache: same readings as the model, the model built only for messages not yet read."""
from __future__ import annotations

from kindred.bench.reading_cache import CachedReader, model_fingerprint
from tests.affect.readings import SAD, text_reading


class CountingReader:
    """Stands in for the emotion model: a different reading per text, and a count of what it read."""

    name = "counting"

    def __init__(self) -> None:
        self.read_texts: list[str] = []

    def read(self, text: str):
        self.read_texts.append(text)
        return text_reading(SAD if "sad" in text else {"neutral": 0.9})


def test_a_second_run_answers_from_the_file_without_building_the_model(tmp_path):
    model = CountingReader()
    builds: list[int] = []

    def build():
        builds.append(1)
        return model

    path = tmp_path / "bench" / "readings.json"
    first = CachedReader("counting", path, build)
    sad, plain = first.read("so sad today"), first.read("ok")
    assert first.read("so sad today") == sad  # the same text twice is read once
    assert model.read_texts == ["so sad today", "ok"] and (first.hits, first.misses) == (1, 2)
    first.save()

    second = CachedReader("counting", path, build)
    assert second.read("so sad today") == sad and second.read("ok") == plain
    assert builds == [1] and second.misses == 0  # nothing new: the model is never built
    second.read("a new message")
    assert builds == [1, 1] and model.read_texts[-1] == "a new message"


def test_fresh_reads_everything_again_and_a_damaged_file_costs_only_time(tmp_path):
    model = CountingReader()
    path = tmp_path / "readings.json"
    cache = CachedReader("counting", path, lambda: model)
    cache.read("hello")
    cache.save()
    CachedReader("counting", path, lambda: model, fresh=True).read("hello")
    assert model.read_texts == ["hello", "hello"]
    path.write_text("{not json", encoding="utf-8")
    damaged = CachedReader("counting", path, lambda: model)
    assert damaged.read("hello") == cache.read("hello") and damaged.misses == 1


def test_another_model_never_reads_this_models_readings(tmp_path):
    weights = tmp_path / "weights"
    weights.mkdir()
    (weights / "emotion-v3.json").write_text('{"version": 3}', encoding="utf-8")
    before = model_fingerprint(weights, "kindred-emotion-v3")
    assert model_fingerprint(weights, "kindred-emotion-v3-ngram") != before  # the encoder part does not run
    (weights / "emotion-v3.json").write_text('{"version": 3, "retrained": true}', encoding="utf-8")
    assert model_fingerprint(weights, "kindred-emotion-v3") != before
