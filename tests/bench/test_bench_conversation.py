"""The conversation bench's baseline is the old layout: notes inside the system message, the words alone."""
from kindred.bench.conversation import notes_first
from kindred.dialogue.prompt import PromptContext, build_messages, stable_prefix
from kindred.events import RecalledMemory


def test_the_baseline_moves_the_notes_into_the_system_message_and_keeps_the_words_whole():
    ctx = PromptContext(persona="You are Kindred.", user_text="오늘 너무 힘들었어\n정말로", language="ko",
                        memories=(RecalledMemory(1, "exam on Friday", "related", "2 days ago"),))
    new, old = build_messages(ctx), notes_first(ctx)
    assert new[0].content.startswith(stable_prefix("You are Kindred.", "ko")) and "exam on Friday" in new[-1].content
    assert old[0].content.startswith(stable_prefix("You are Kindred.", "ko")) and "exam on Friday" in old[0].content
    assert old[-1].content.startswith("오늘 너무 힘들었어\n정말로") and "[context]" not in old[-1].content
    assert old[-1].content.endswith(new[-1].content.split("\n\n", 1)[1])
