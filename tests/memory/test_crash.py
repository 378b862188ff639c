"""`kill -9` in the middle of a turn loses nothing that was already stored."""
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

SCRIPT = textwrap.dedent("""
    import asyncio
    from types import SimpleNamespace

    import kindred.turn
    from kindred.config import load_settings
    from kindred.events import Heard
    from kindred.memory.book import MemoryBook
    from kindred.memory.embedder import HashEmbedder
    from kindred.memory.remember import Rememberer
    from kindred.memory.sqlite_store import SQLiteStore
    from kindred.turn import Companion

    class Chat:
        backend = model = "scripted"
        hang = False

        async def stream(self, messages, options):
            yield "I see"
            if self.hang:
                print("GENERATING", flush=True)
                await asyncio.sleep(120)
            yield "."

    # This test is about storage: the crisis classifier (tested in tests/safety) stays out of it.
    kindred.turn.assess = lambda text: SimpleNamespace(risk="none", category="none", reasons=(),
                                                       needs_crisis_reply=False)

    async def main():
        settings = load_settings()
        store = SQLiteStore(settings.database_path)
        rememberer = Rememberer(MemoryBook(store, HashEmbedder()))
        chat = Chat()
        companion = Companion(settings=settings, chat=chat, store=store)
        lines = ["My sister is called Mina.", "I love hiking.", "I have an exam tomorrow.",
                 "Tell me something nice about today."]
        for number, text in enumerate(lines):
            chat.hang = number == 3
            heard = None
            async for event in companion.turn(text):
                heard = heard or (event if isinstance(event, Heard) else None)
            await rememberer.after_turn(user=settings.user, session_id=heard.session_id, turn_id=heard.turn_id,
                                        user_text=text, reply_text="I see.", language="en")
            print("STORED", number, flush=True)

    asyncio.run(main())
""")


def test_kill_9_during_a_turn_keeps_everything_already_stored(home):
    env = dict(os.environ, KINDRED_HOME=str(home))
    process = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env)
    seen = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line.strip())
        if line.strip() == "GENERATING":
            break
    assert seen[-1:] == ["GENERATING"], (seen, process.stderr.read() if process.poll() is not None else "")
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    with sqlite3.connect(home / "kindred.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        turns = db.execute("SELECT role, text FROM turns ORDER BY id").fetchall()
        assert len(turns) == 7  # three whole turns, and the words of the one cut off
        assert turns[-1] == ("user", "Tell me something nice about today.")
        facts = {row[0] for row in db.execute("SELECT value FROM memories WHERE kind = 'fact'")}
        assert {"Mina", "likes"} <= facts
        memories = db.execute("SELECT COUNT(*) FROM memories").fetchone()[0]
        vectors = db.execute("SELECT COUNT(*) FROM memory_vectors").fetchone()[0]
        assert memories == vectors >= 6
