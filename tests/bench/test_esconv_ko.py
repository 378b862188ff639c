"""The Korean support set: the packaged file reads as ESConv does, and the bench scores it beside ESConv."""
import argparse
from collections import Counter

from kindred.affect.strategy import STRATEGIES
from kindred.bench import empathy, esconv
from kindred.cli import bench_cmd

KO_LINES = [  # two Korean conversations in the file's format
    "0.0 0 0 회사 때문에 너무 힘들어 EOS 1.0 1 1 [Questions] 무슨 일 있었어?",
    "0.0 0 0 회사 때문에 너무 힘들어 EOS 0.0 1 1 [Questions] 무슨 일 있었어? EOS 0.0 0 2 팀장이 또 혼냈어 "
    "EOS 1.0 1 3 [Reflection of feelings] 많이 속상했겠다",
    "0.0 0 0 회사 때문에 너무 힘들어 EOS 0.0 1 1 [Questions] 무슨 일 있었어? EOS 0.0 0 2 팀장이 또 혼냈어 "
    "EOS 0.0 1 3 [Reflection of feelings] 많이 속상했겠다 EOS 1.0 1 4 [Questions] 자주 그래?",
    "0.0 0 0 안녕하세요 EOS 1.0 1 1 [Other] 안녕하세요~",
    "0.0 0 0 안녕하세요 EOS 0.0 1 1 [Other] 안녕하세요~ EOS 0.0 0 2 이사 가는 게 걱정돼요 "
    "EOS 1.0 1 3 [Questions] 어디로 가세요?",
]
EN_LINES = ["1.0 0 0 hi, I feel low  EOS 1.0 1 1 [Questions] What happened?",
            "1.0 0 0 hi, I feel low  EOS 1.0 1 1 [Questions] What happened?  EOS 0.0 0 2 I lost my job "
            "EOS 1.0 1 3 [Providing Suggestions] Try a walk."]


def test_the_packaged_korean_set_reads_as_esconv_with_one_of_the_eight_strategies_per_supporter_turn():
    conversations = esconv.load(esconv.KOREAN_PATH)
    assert len(conversations) >= 60
    strategies: Counter[str] = Counter()
    for conversation in conversations:
        turns = conversation.turns
        assert [t.index for t in turns] == list(range(len(turns)))  # the windows lost no turn
        supporter = [t for t in turns if t.speaker == 1]
        assert 4 <= len(supporter) <= 8
        assert all(t.strategy in STRATEGIES and t.scored for t in supporter)
        assert all(any("가" <= ch <= "힣" for ch in t.text) for t in turns)
        assert turns[0].speaker == 0  # the person opens, so every supporter turn answers something
        strategies.update(t.strategy for t in supporter)
    assert set(strategies) == set(STRATEGIES)
    assert strategies.most_common(1)[0][0] == "question"  # as with trained supporters, questions lead


def test_the_planner_hears_the_korean_set_in_korean():
    heard = []

    class Plan:
        strategies = ("question", "others")

    class RecordingEngine:
        def respond_to(self, **kwargs):
            heard.append((kwargs["language"], kwargs["text"], kwargs["message_number"]))
            return type("Result", (), {"plan": Plan()})()

    class Reader:
        def read(self, text):
            return None

    conversations = esconv.parse_lines(KO_LINES)
    found, unanswerable = esconv.samples(conversations, esconv.product_planner(Reader(), RecordingEngine, "ko"))
    assert {language for language, _, _ in heard} == {"ko"}
    assert [(text, n) for _, text, n in heard] == [("회사 때문에 너무 힘들어", 1), ("팀장이 또 혼냈어", 2),
                                                   ("안녕하세요", 1), ("이사 가는 게 걱정돼요", 2)]
    # supporters: question, reflection, question | others, question; the plan is always question+others
    result = esconv.score(found)
    assert unanswerable == 0 and result["n"] == 5
    assert result["lead"] == 0.6 and result["top2"] == 0.8
    assert result["baseline"] == "question" and result["baseline_lead"] == 0.6


def test_bench_figures_carry_the_korean_set_beside_esconv_with_its_own_baseline(tmp_path, monkeypatch):
    ko, en = tmp_path / "ko.tsv", tmp_path / "en.tsv"
    ko.write_text("\n".join(KO_LINES) + "\n", encoding="utf-8")
    en.write_text("\n".join(EN_LINES) + "\n", encoding="utf-8")
    languages = []

    def always_question_then_others(reader, engine_factory=None, language="en"):
        languages.append(language)
        return lambda conversation: [("question", "others") for t in conversation.turns if t.speaker == 1]

    monkeypatch.setattr(esconv, "product_planner", always_question_then_others)
    figures: dict = {}
    tables, notes = empathy.esconv_part({"esconv": str(en), "esconv_ko": str(ko)}, reader=None, figures=figures)
    assert languages == ["en", "ko"]
    assert figures["esconv_ko_turns"] == 5 and figures["esconv_ko_conversations"] == 2
    assert figures["esconv_ko_lead"] == 0.6 and figures["esconv_ko_top2"] == 0.8
    # the Korean set's own majority: question (3 of 5), pair question+reflection (4 of 5)
    assert figures["esconv_ko_baseline_lead"] == 0.6 and figures["esconv_ko_baseline_top2"] == 0.8
    # question: tp 3, fp 2, fn 0 → 0.75; the other seven score 0
    assert figures["esconv_ko_macro_f1"] == round(0.75 / len(STRATEGIES), 4)
    assert figures["esconv_turns"] == 2 and figures["esconv_lead"] == 0.5 and figures["esconv_baseline_lead"] == 0.5
    side = tables[0]
    assert side["columns"] == ["measure", "ESConv chooser", "ESConv baseline",
                               "Korean support set chooser", "Korean support set baseline"]
    assert side["rows"][0] == ["lead strategy accuracy", 0.5, 0.5, 0.6, 0.6]
    assert side["rows"][-1] == ["supporter turns", 2, None, 5, None]
    assert any(t["title"].startswith("Korean support set confusion") for t in tables)
    assert any("does not tune the chooser" in note for note in notes)


def test_a_missing_korean_file_is_a_note_naming_the_flag(tmp_path, monkeypatch):
    monkeypatch.setattr(esconv, "product_planner",
                        lambda reader, engine_factory=None, language="en": lambda c: [("question",)] * 2)
    en = tmp_path / "en.tsv"
    en.write_text("\n".join(EN_LINES) + "\n", encoding="utf-8")
    figures: dict = {}
    tables, notes = empathy.esconv_part({"esconv": str(en), "esconv_ko": str(tmp_path / "none.tsv")}, None, figures)
    assert "esconv_ko_lead" not in figures and figures["esconv_turns"] == 2
    assert any("--esconv-ko FILE" in note for note in notes)
    assert len(tables) == 2  # ESConv's own table and confusion, no side-by-side of one set


def test_the_cli_passes_esconv_ko_to_the_bench(monkeypatch):
    seen = {}
    monkeypatch.setattr(bench_cmd, "run_suite", lambda name, options: seen.update(options) or {"figures": {}})
    parser = argparse.ArgumentParser()
    bench_cmd.register(parser.add_subparsers())
    args = parser.parse_args(["bench", "empathy", "--esconv-ko", "mine.tsv"])
    args.func(args)
    assert seen["esconv_ko"] == "mine.tsv"
