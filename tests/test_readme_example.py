"""The README's Python example runs as written (on the small packaged model instead of the embedded one)."""
import re
import subprocess
import sys

import pytest

from .conftest import PROJECT_ROOT, requires_small_model


@pytest.mark.slow
@requires_small_model
def test_readme_python_example_runs(home):
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"## From Python.*?```python\n(.*?)```", readme, re.S).group(1)
    assert "kindred.load_settings()" in code
    code = code.replace("kindred.load_settings()", 'kindred.load_settings(llm="small", memory_extraction="rules")')
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600,
                            cwd=PROJECT_ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    assert re.search(r"\[\w+, valence [+-]\d\.\d\d\]", result.stdout), result.stdout
    assert len(result.stdout.split("]", 1)[1].strip()) > 0, result.stdout  # streamed reply text
