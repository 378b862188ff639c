"""`kindred bench memory --extraction`: the judge reads only the written facts, and the filter is measured."""
import json
import subprocess
import sys

import pytest

from kindred.bench import extraction as bench
from tests.conftest import requires_small_model


class Inventing:
    """Answers every turn with the inventions seen from the small model, plus one true fact for en02."""

    backend = model = "inventing"

    async def stream(self, messages, options):
        said = messages[-1].content
        facts = [{"topic": "taste: coffee", "value": "likes", "category": "preference"},
                 {"topic": "party", "value": "tomorrow at 9am", "category": "event", "date": "2026-01-08"}]
        if "nurse" in said:
            facts.append({"topic": "work", "value": "nurse", "category": "other"})
        yield json.dumps({"facts": facts, "open": []})


def test_the_written_set_has_both_languages_and_turns_without_facts():
    turns = bench.load_turns()
    assert {t.language for t in turns} == {"en", "ko"} and len(turns) >= 80
    assert sum(not t.facts for t in turns) >= 10


def test_the_judge_wants_every_written_word_and_the_written_day():
    written = {"words": ["interview"], "date": [1, 1]}
    assert bench.matches(written, "event job interview", "2026-01-08")
    assert not bench.matches(written, "event job interview", "2026-01-09")
    assert not bench.matches({"words": ["mina"]}, "sister's name Mina", "2026-01-08")  # a day never named
    assert bench.matches({"words": ["mom|mother"]}, "mother's birthday", None)


def test_an_inventing_model_scores_low_and_the_filter_measures_its_effect():
    result = bench.run({"chat": Inventing(), "quick": False})
    figures = result["figures"]
    assert figures["extraction_supported_share_raw"] < 0.05  # two inventions per turn, one true fact in all
    # Kept: only "work: nurse" (said in en02). "taste: coffee" in en11 ("My friend says coffee helps") has the
    # person's word but not their taste: grounding wants an attitude they state, and drops it.
    unsupported = next(n for n in result["notes"] if n.startswith("Still unsupported"))
    assert figures["extraction_items_grounded"] == 1 and figures["extraction_supported_share_grounded"] == 1.0
    assert unsupported.endswith("none")
    assert "en02: work nurse" not in next(n for n in result["notes"] if n.startswith("Supported items the filter"))


@requires_small_model
@pytest.mark.slow
def test_quick_run_on_the_small_model(tmp_path):
    out = subprocess.run([sys.executable, "-m", "kindred", "bench", "memory", "--extraction", "--quick", "--json"],
                         capture_output=True, text=True, timeout=1200, env={**__import__("os").environ,
                                                                             "KINDRED_HOME": str(tmp_path)})
    assert out.returncode == 0, out.stderr
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    assert figures["extraction_items_grounded"] <= figures["extraction_items_raw"]
    raw, grounded = figures["extraction_supported_share_raw"], figures["extraction_supported_share_grounded"]
    if raw is not None and grounded is not None:
        assert grounded >= raw
