"""`kindred wyoming` refuses what it cannot do before any model loads, with coded errors."""
from __future__ import annotations

import importlib.util

import pytest

from kindred.cli import main


def test_without_the_wyoming_package_it_names_the_extra(monkeypatch, capsys, home):
    found = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "wyoming" else found(name, *a))
    assert main(["wyoming"]) == 3
    error = capsys.readouterr().err
    assert "[extra-missing]" in error and "pip install 'kindred[wyoming]'" in error


@pytest.mark.skipif(importlib.util.find_spec("wyoming") is None, reason="needs pip install 'kindred[wyoming]'")
def test_an_address_it_cannot_serve_is_refused(capsys, home):
    assert main(["wyoming", "--uri", "http://127.0.0.1:10700"]) == 2
    assert "[wyoming-uri-invalid]" in capsys.readouterr().err
