"""The example exchanges in the stable prefix: one per situation and voice, each a reply the bench would pass,
none of them a message the bench asks."""
import json
from pathlib import Path

import pytest

from kindred.bench.reply_checks import Exchange, check
from kindred.dialogue.examples import examples_for, load_bank

BENCH = Path(__file__).parents[2] / "kindred" / "bench" / "data"


@pytest.mark.parametrize("language, register", [("en", ""), ("ko", "banmal"), ("ko", "jondaetmal")])
def test_one_example_per_situation_and_each_passes_the_bench_checks(language, register):
    examples = examples_for(language, register or "banmal")
    situation_of = {(e.message, e.reply): e.situation for e in load_bank()}
    assert len(examples) == len(set(situation_of.values())) == 21
    flags = {"grief": {"loss"}, "pet_loss": {"loss"}, "venting": {"wants_heard"}, "asks_advice": {"asks_suggestion"}}
    for said, answered in examples:
        found = check(Exchange(language, register, said, answered,
                               flags=frozenset(flags.get(situation_of[(said, answered)], ()))))
        assert not any(found.values()), (said, answered, found)


def test_no_example_message_is_in_the_benchmark():
    asked = set()
    for name in ("replies_single.jsonl", "replies_conversations.jsonl"):
        for line in (BENCH / name).read_text("utf-8").splitlines():
            item = json.loads(line)
            asked |= {item["text"]} if "text" in item else {t["text"] for t in item["turns"]}
    norm = lambda text: "".join(ch for ch in text.lower() if ch.isalnum())  # noqa: E731
    assert not {norm(e.message) for e in load_bank()} & {norm(t) for t in asked}
