"""The web latency benchmark: its shape with the scripted double, its figure with the small model."""
from __future__ import annotations

import pytest

from kindred.bench import web

from ..conftest import ScriptedChat, requires_small_model


def test_measure_over_a_real_socket_and_the_openai_endpoint_with_the_double(tmp_path):
    measured = web.measure(ScriptedChat(("Hi", "!"), delay_s=0.02), tmp_path, turns=3)
    assert len(measured["web"]) == 3 and len(measured["openai"]) == 3
    for sample in measured["web"]:
        assert sample["web_ttft_s"] >= sample["model_ttft_s"] >= 0.02
        assert sample["heard_s"] <= sample["web_ttft_s"]
    for sample in measured["openai"]:
        assert sample["openai_ttft_s"] >= sample["model_ttft_s"] >= 0.02
    result = web.summarise(measured, "scripted", 0.0)
    figures = result["figures"]
    assert figures["turns"] == 3 and figures["openai_turns"] == 3 and all(t["rows"] for t in result["tables"])
    assert figures["web_overhead_median_ms"] < 500 and figures["openai_overhead_median_ms"] < 500


@pytest.mark.slow
@requires_small_model
def test_the_bench_runs_end_to_end_with_the_small_model():
    # The 50 ms target is the bench's figure to report (`kindred bench web`), not an assertion: on two
    # shared cores a timed assertion fails for the machine's load, not for the code. This catches a
    # path that stops working or gains a gross delay.
    result = web.run({"quick": True})
    figures = result["figures"]
    assert figures["turns"] >= 1 and figures["web_overhead_median_ms"] < 500, figures
    assert figures["openai_turns"] >= 1 and figures["openai_overhead_median_ms"] < 500, figures
