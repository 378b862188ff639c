"""The bench convention: a readable table, and with --json one JSON object as the last line."""
import json
import os
import subprocess
import sys

import pytest

from kindred.bench import format_table
from tests.conftest import requires_small_model


def test_format_table_aligns_columns():
    text = format_table({"title": "t", "columns": ["name", "value"], "rows": [["a", 1.23456], ["bbb", 2]]})
    lines = text.splitlines()
    assert lines[0] == "t" and "1.235" in text
    assert len({len(line) for line in lines[1:]}) == 1


@requires_small_model
@pytest.mark.slow
def test_latency_bench_prints_a_table_and_json_figures(tmp_path):
    env = {**os.environ, "KINDRED_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-m", "kindred", "bench", "latency", "--quick", "--json"],
                            env=env, capture_output=True, timeout=900)
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode().strip().splitlines()
    figures = json.loads(lines[-1])
    assert figures["small_ttft_cold_s"] > 0 and figures["small_tokens_per_s"] > 0
    assert figures["machine_cores"] >= 1
    assert any("TTFT cached" in line for line in lines)
