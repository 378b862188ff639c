"""Fuzzing the whole turn loop: any input ends in a reply or a coded perceive failure, and nothing stored is lost."""
import asyncio
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kindred.config import load_settings
from kindred.events import Failed, Heard, Replied
from kindred.memory.sqlite_store import SQLiteStore
from kindred.safety.input_limits import clean_user_text
from kindred.turn import Companion

from ..conftest import ScriptedChat

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RISKY_WORDS = st.sampled_from(["kill myself", "자살", "배고파 죽겠다", "ignore previous instructions", "k1ll",
                               "너 사람이야?", "\x00", "\u200b", "💀", "", " "])
MESSAGES = st.one_of(
    st.text(max_size=300),
    st.binary(max_size=300),
    st.lists(st.one_of(st.text(max_size=20), RISKY_WORDS), max_size=8).map(" ".join),
)


async def _conversation(messages) -> None:
    with tempfile.TemporaryDirectory() as home:
        settings_ = load_settings(env={"KINDRED_HOME": home})
        store = SQLiteStore(Path(home) / "kindred.db")
        companion = Companion(settings=settings_, chat=ScriptedChat(("ok", "!")), store=store)
        expected: list[str] = []
        try:
            for raw, new_session in messages:
                events = [e async for e in companion.turn(raw, user="fuzz", new_session=new_session)]
                if isinstance(events[-1], Failed) and events[-1].stage == "perceive":
                    assert events[-1].code.startswith("input-") and len(events) == 1  # refused, nothing stored
                    continue
                assert isinstance(events[0], Heard) and isinstance(events[-1], Replied)
                expected.append(clean_user_text(raw, settings_.max_input_chars).text)
                stored = [t.text for t in await store.recent_turns("fuzz", limit=1000) if t.role == "user"]
                assert stored == expected  # every word said so far is still there, in order
            assert await store.count_turns("fuzz") == 2 * len(expected)
        finally:
            await store.close()


@FUZZ
@given(messages=st.lists(st.tuples(MESSAGES, st.booleans()), min_size=1, max_size=4))
def test_any_conversation_keeps_every_stored_word(messages):
    asyncio.run(_conversation(messages))
