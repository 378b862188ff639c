import subprocess
import sys

import kindred


def test_every_public_name_resolves():
    for name in kindred.__all__:
        assert getattr(kindred, name) is not None, name


def test_import_is_light():
    code = "import sys, kindred; print(','.join(m for m in ('numpy', 'llama_cpp', 'sklearn') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == ""


def test_unknown_name_is_an_attribute_error():
    try:
        kindred.NotAThing  # noqa: B018
    except AttributeError as exc:
        assert "NotAThing" in str(exc)
    else:
        raise AssertionError("expected AttributeError")
