"""The recommend package's lazy names all resolve, and importing its schema stays light."""
import subprocess
import sys

from kindred import recommend


def test_every_public_name_resolves():
    assert sorted(recommend.__all__) == sorted(recommend._MODULE_OF)
    for name in recommend.__all__:
        assert getattr(recommend, name) is not None


def test_schema_import_does_not_pull_in_numpy():
    code = "import sys, kindred.database.schema; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
