"""Every stage of the turn says its failure as a coded Failed(stage, code) and ends; none raises.

Before, only the respond stage did: anything else (a store that refused a write, a reader that
crashed) escaped as a raw exception and the socket showed "turn-crashed" with no stage.
"""
import pytest

from kindred.errors import StoreError
from kindred.events import STAGES, Failed, Heard, Replied, RunEnded, RunStarted
from kindred.turn import Companion, run_turn

from .conftest import ScriptedChat


async def collect(events):
    return [event async for event in events]


class BrokenReader:
    name = "broken"

    def read(self, text):
        raise RuntimeError("the model file is damaged")


def _breaking(companion: Companion, stage: str, monkeypatch) -> None:
    """Make one stage fail, as it would for real: its own collaborator raises."""
    if stage == "perceive":
        async def refuse(*args, **kwargs):
            raise StoreError("The database is locked.", "Close the other program.", code="store-locked")
        monkeypatch.setattr(companion.store, "session_for", refuse)
    elif stage == "feel":
        companion.emotion = BrokenReader()
    elif stage == "recall":
        async def recall(*args, **kwargs):
            raise StoreError("The memory index is damaged.", "Run kindred doctor.", code="store-corrupt")
        monkeypatch.setattr(companion.recaller, "recall", recall)
    elif stage == "safety":
        monkeypatch.setattr("kindred.turn.assess", lambda text: 1 / 0)
    elif stage == "choose":
        monkeypatch.setattr("kindred.turn.plan_reply", lambda *a, **k: {}["missing"])
    elif stage == "respond":
        companion.chat = ScriptedChat(("partial",), fail_after=0)
    elif stage == "remember":
        monkeypatch.setattr("kindred.turn.schedule_from_memory", lambda *a, **k: [][0])


@pytest.mark.parametrize("stage", STAGES)
async def test_each_stage_fails_with_its_name_and_a_code(settings, store, monkeypatch, stage):
    companion = Companion(settings=settings, chat=ScriptedChat(), store=store)
    _breaking(companion, stage, monkeypatch)
    events = await collect(companion.turn("I had a long day", user="ana"))
    failed = events[-1]
    assert isinstance(failed, Failed) and failed.stage == stage and failed.code and failed.hint
    assert [e for e in events if isinstance(e, Failed)] == [failed]  # one failure, at the end
    if stage != "perceive":  # the words were stored first, and got an answer row
        rows = await store.recent_turns("ana")
        assert [r.role for r in rows] == ["user", "assistant"]
        assert rows[1].status == ("ok" if stage == "remember" else "failed")
    if stage == "remember":
        assert isinstance(events[-2], Replied)  # the reply was already out


async def test_a_bug_is_coded_by_its_stage_and_logged_with_its_trace(settings, store, caplog):
    companion = Companion(settings=settings, chat=ScriptedChat(), store=store, emotion=BrokenReader())
    events = await collect(companion.turn("hello", user="ana"))
    assert (events[-1].stage, events[-1].code) == ("feel", "feel-crashed")
    assert "the model file is damaged" in caplog.text


async def test_a_run_starts_and_ends_around_the_turn_with_one_id(settings, store):
    companion = Companion(settings=settings, chat=ScriptedChat(), store=store)
    events = await collect(run_turn(companion, "hello", user="ana"))
    assert isinstance(events[0], RunStarted) and isinstance(events[1], Heard) and isinstance(events[-1], RunEnded)
    assert events[-1].outcome == "replied" and len({e.turn_id for e in events}) == 1
    failed = await collect(run_turn(companion, "   ", user="ana"))
    assert [type(e) for e in failed] == [RunStarted, Failed, RunEnded] and failed[-1].outcome == "failed"
