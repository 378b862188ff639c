"""The QA part of `kindred bench memory`: which questions, in which order, and what it tells as it goes."""
import asyncio
import io
import json

from kindred.bench import memory as bench
from kindred.bench import memory_qa as qa
from kindred.cli import main


def _rows(samples: int, per: int) -> list[dict]:
    # categories in blocks, 1 to 5, as LoCoMo lists its questions roughly by category
    return [{"sample": f"conv-{s}", "category": 1 + i * 5 // per, "question": f"q{s}.{i}?",
             "answer": f"gold {s} {i}", "found": [f"[2023-05-08] A: memory for q{s}.{i}"]}
            for s in range(samples) for i in range(per)]


def test_questions_come_grouped_by_conversation_spread_over_the_list_and_never_category_5():
    groups = qa.pick_questions(_rows(10, 20), 7, conversations=3)
    assert [g[0]["sample"] for g in groups] == ["conv-0", "conv-3", "conv-6"]
    assert [len(g) for g in groups] == [3, 2, 2]
    assert all(len({r["sample"] for r in g}) == 1 for g in groups)
    assert all(r["category"] != 5 for g in groups for r in g)
    assert len({r["category"] for g in groups for r in g}) >= 3  # spread over each conversation's list


def test_picking_more_than_there_is_takes_everything_once():
    groups = qa.pick_questions(_rows(2, 5), 50)
    assert sum(len(g) for g in groups) == 8  # 2 × 4 questions of categories 1-4
    assert qa.pick_questions(_rows(2, 5), 0) == []
    only = qa.pick_questions(_rows(3, 5), 50, samples=["conv-2"])
    assert [{r["sample"] for r in g} for g in only] == [{"conv-2"}]


class RecordingChat:
    """Answers with the gold answer of the question it recognises when its notes hold that question's memory
    (stands in for the LLM so the ordering and the bookkeeping can be checked without a model)."""

    model = "recording"

    def __init__(self) -> None:
        self.prompts: list[str] = []

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    async def stream(self, messages, options):
        prompt = messages[-1].content
        self.prompts.append(prompt)
        question = prompt.rsplit("Question: q", 1)[1].rstrip("?")
        sample, index = question.split(".")
        yield f"gold {sample} {index}" if f"memory for q{question}" in prompt else "unknown"


def test_baseline_questions_of_a_conversation_run_back_to_back_with_the_window_first(tmp_path, monkeypatch):
    from tests.memory.test_bench_memory import _tiny_locomo

    _tiny_locomo(tmp_path / "data")
    monkeypatch.setenv("KINDRED_DATA_DIR", str(tmp_path / "data"))
    tiny = bench.load_locomo()[0]
    conversations = [bench.Conversation(f"conv-{s}", tiny.speakers, tiny.sessions, ()) for s in range(2)]
    chat, err = RecordingChat(), io.StringIO()
    table, figures, answers = asyncio.run(qa.answer_questions(conversations, _rows(2, 10), "unused", 4, chat=chat,
                                                              context_tokens=1000, stream=err))
    windows = [p for p in chat.prompts if "memory for" not in p]
    assert [chat.prompts.index(p) for p in windows] == [0, 1, 4, 5]  # two baseline, two memory, per conversation
    assert windows[0].split("Question:")[0] == windows[1].split("Question:")[0]  # one shared prefix
    assert figures["qa_memory_accuracy"] == 1.0 and figures["qa_last_turns_accuracy"] == 0.0
    assert figures["qa_questions"] == 4 and figures["qa_conversations"] == 2
    assert table[0][:2] == ["all (1-4)", 4]
    lines = err.getvalue().splitlines()
    answered = [line for line in lines if "accuracy so far" in line]
    assert len(answered) == 4 and "4/4" in answered[-1] and "memory 1.000, last turns 0.000" in answered[-1]
    assert all(a["memory F1"] == 1.0 and a["last turns"] == "unknown" for a in answers)


def test_a_time_limit_stops_between_conversations_never_inside_one(tmp_path, monkeypatch):
    from tests.memory.test_bench_memory import _tiny_locomo

    _tiny_locomo(tmp_path / "data")
    monkeypatch.setenv("KINDRED_DATA_DIR", str(tmp_path / "data"))
    tiny = bench.load_locomo()[0]
    conversations = [bench.Conversation(f"conv-{s}", tiny.speakers, tiny.sessions, ()) for s in range(3)]
    ticks = iter(range(0, 10_000, 20))  # every look at the clock: 20 more seconds
    progress_clock = lambda: next(ticks)  # noqa: E731
    monkeypatch.setattr(qa.time, "monotonic", progress_clock)
    err = io.StringIO()
    _, figures, answers = asyncio.run(qa.answer_questions(conversations, _rows(3, 10), "unused", 6,
                                                          chat=RecordingChat(), context_tokens=1000, stream=err,
                                                          minutes=0.1))
    assert {a["sample"] for a in answers} == {"conv-0"} and len(answers) == 2
    assert figures["qa_questions_not_reached"] == 4
    assert "stopping" in err.getvalue()


def test_the_cli_passes_the_memory_options(monkeypatch, capsys):
    seen = {}

    def fake_run(name, options):
        seen.update(options)
        return {"title": "t", "tables": [], "figures": {"x": 1}}

    monkeypatch.setattr("kindred.cli.bench_cmd.run_suite", fake_run)
    assert main(["bench", "memory", "--qa", "12", "--qa-conversations", "3", "--qa-minutes", "20",
                 "--no-latency", "--qa-samples", "conv-30,conv-41", "--json"]) == 0
    assert seen["qa"] == 12 and seen["qa_conversations"] == 3 and seen["qa_minutes"] == 20.0
    assert seen["latency_sizes"] == [] and seen["qa_samples"] == ["conv-30", "conv-41"]
    assert json.loads(capsys.readouterr().out.splitlines()[-1]) == {"x": 1}
    main(["bench", "memory", "--latency-sizes", "10000,100000"])
    assert seen["latency_sizes"] == [10_000, 100_000]
