"""`kindred chat` interactively: streaming, /help, Ctrl-C during a reply, and a clean exit."""
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.conftest import requires_small_model

pytestmark = [requires_small_model, pytest.mark.slow]


# 0.0: Ctrl-C before the first token (it once hung the chat: an interrupt landing inside the event
# loop's bookkeeping lost a future); 0.5: while tokens stream.
@pytest.mark.parametrize("delay", [0.0, 0.5])
def test_ctrl_c_stops_the_reply_keeps_the_words_and_the_chat_goes_on(tmp_path, delay):
    env = {**os.environ, "KINDRED_HOME": str(tmp_path), "PYTHONUNBUFFERED": "1",
           "KINDRED_MAX_REPLY_TOKENS": "400"}
    chat = subprocess.Popen([sys.executable, "-m", "kindred", "chat", "--model", "small"], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        chat.stdin.write(b"/help\nTell me a long story about the sea, please.\n")
        chat.stdin.flush()
        output = b""
        deadline = time.monotonic() + 600
        while b"kindred> " not in output and time.monotonic() < deadline:
            output += os.read(chat.stdout.fileno(), 4096)
        time.sleep(delay)
        chat.send_signal(signal.SIGINT)
        time.sleep(1.0)
        chat.stdin.write(b"Thanks, that is enough.\n/quit\n")
        chat.stdin.flush()
        rest, err = chat.communicate(timeout=300)
    finally:
        if chat.poll() is None:
            chat.kill()
    assert chat.returncode == 0, err.decode()
    assert b"/good" in output  # the help text
    assert b"(stopped)" in err
    with sqlite3.connect(tmp_path / "kindred.db") as db:
        rows = db.execute("SELECT role, status FROM turns ORDER BY id").fetchall()
    assert rows[0] == ("user", "ok") and rows[1][0] == "assistant"
    assert rows[1][1] in {"interrupted", "ok"}
    assert rows[2:] == [("user", "ok"), ("assistant", "ok")]  # the chat went on
