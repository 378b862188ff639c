"""ESConv scoring, and parity: the bench's plans are the turn loop's own Chose events."""
from kindred.affect.strategy import STRATEGIES
from kindred.bench import esconv
from kindred.events import Chose
from kindred.turn import Companion
from tests.affect.readings import NEUTRAL, SAD, text_reading
from tests.conftest import ScriptedChat

LINES = [  # two conversations in the file's format; the first line of each starts the context
    "1.0 0 0 hi, I feel low  EOS 1.0 1 1 [Questions] What happened?",
    "1.0 0 0 hi, I feel low  EOS 1.0 1 1 [Questions] What happened?  EOS 0.0 0 2 I lost my job "
    "EOS 1.0 1 3 [Reflection of feelings] That sounds painful.",
    "1.0 0 0 hi, I feel low  EOS 1.0 1 1 [Questions] What happened?  EOS 0.0 0 2 I lost my job "
    "EOS 1.0 1 3 [Reflection of feelings] That sounds painful.  EOS 1.0 1 4 [Questions] Was it sudden?",
    "1.0 1 0 [Other] Hello  EOS 1.0 1 1 [Questions] How are you?",
    "1.0 1 0 [Other] Hello  EOS 1.0 1 1 [Questions] How are you?  EOS 0.0 0 2 thanks, better now "
    "EOS 1.0 1 3 [Other] Glad to hear it",
]


def test_lines_rebuild_whole_conversations_and_only_line_targets_are_scored():
    conversations = esconv.parse_lines(LINES)
    assert len(conversations) == 2
    first, second = conversations
    assert [t.index for t in first.turns] == [0, 1, 2, 3, 4]
    assert first.turns[1].text == "What happened?" and first.turns[1].strategy == "question"
    assert [t.scored for t in second.turns] == [False, True, False, True]  # no line for the opening turn 0

    def planner(conversation):
        return [None if t.index < 2 and conversation.id == 1 else ("question", "others")
                for t in conversation.turns if t.speaker == 1]

    found, unanswerable = esconv.samples(conversations, planner)
    assert [s.gold for s in found] == ["question", "reflection_of_feelings", "question", "others"]
    assert unanswerable == 1  # conversation 2's turn 1: the person had not spoken yet


def test_scores_lead_top2_macro_f1_and_the_majority_baseline():
    found = [esconv.Sample(0, "question", ("question", "others")),
             esconv.Sample(0, "question", ("others", "question")),
             esconv.Sample(0, "others", ("others",)),
             esconv.Sample(0, "information", ("question", "others"))]
    result = esconv.score(found)
    assert result["lead"] == 0.5 and result["top2"] == 0.75
    assert result["baseline"] == "question" and result["baseline_lead"] == 0.5
    # question: tp 1, fp 1, fn 1 → 0.5; others: tp 1, fp 1, fn 0 → 2/3; the other six score 0
    assert abs(result["macro_f1"] - (0.5 + 2 / 3) / len(STRATEGIES)) < 1e-9
    table = esconv.confusion_table(result)
    assert table["rows"][0][0] == "ques" and table["rows"][0][-1] == 2


class StubReader:
    """Sad words read sad, the rest neutral: parity needs the same reading on both paths, not a good one."""

    name = "stub"

    def read(self, text):
        probs = SAD if any(w in text.lower() for w in ("lost", "low", "sad")) else NEUTRAL
        return text_reading(probs)


async def test_bench_and_turn_loop_choose_the_same_for_the_same_conversation(settings, store):
    reply = "How did that feel?"
    person = ["hi", "I lost my job today and I keep going over what I could have done differently at the meeting",
              "yes, a bit", "what should I do?", "I think so", "ok", "that helps, I will try that", "thank you"]
    companion = Companion(settings=settings, chat=ScriptedChat((reply,)), store=store, emotion=StubReader())
    chosen = []
    for text in person:
        events = [e async for e in companion.turn(text)]
        chosen.append(next(e for e in events if isinstance(e, Chose)).strategies)
    turns = []
    for n, text in enumerate(person):
        turns += [esconv.Turn(0, 2 * n, text, None), esconv.Turn(1, 2 * n + 1, reply, "others", True)]
    bench = esconv.product_planner(StubReader())(esconv.Conversation(0, tuple(turns)))
    assert bench == chosen
    assert len(set(chosen)) >= 4  # the conversation moved through stages: parity is not of a constant


def test_the_bench_reports_the_held_out_odd_conversations_apart(tmp_path, monkeypatch):
    from kindred.bench import empathy

    path = tmp_path / "dev.tsv"
    path.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    # Conversation 0 (even, tuned on) gets its turns right; conversation 1 (odd, held out) gets them wrong.
    monkeypatch.setattr(esconv, "product_planner", lambda reader, engine_factory=None, language="en": lambda c: [
        ("question", "reflection_of_feelings") if c.id == 0 else ("information",) for t in c.turns if t.speaker == 1])
    figures: dict = {}
    _, notes = empathy.esconv_part({"esconv": str(path), "esconv_ko": str(tmp_path / "none.tsv")}, None, figures)
    assert figures["esconv_heldout_turns"] == 2 and figures["esconv_heldout_lead"] == 0.0
    assert figures["esconv_lead"] == 0.4 and figures["esconv_top2"] == 0.6  # the whole file: 2 and 3 of 5
    assert "esconv_ko_heldout_lead" not in figures
    assert any("held-out half" in note for note in notes)
