"""One handle per database and process: the turn loop, a one-shot command's calls by path, and the store
all run on the connection the store opened; the last holder to let go closes it."""
import asyncio

import pytest

from kindred.database import handles, held
from kindred.database.postgres import PostgresDatabase
from kindred.database.sqlite import SQLiteDatabase
from kindred.learning import apply_feedback, load_preferences
from kindred.localtime.person import person_zone
from kindred.memory.sql_store import open_sql_store
from kindred.recommend import configure_checkins, list_checkins
from kindred.turn import Companion

from ..conftest import ScriptedChat

pytestmark = pytest.mark.both_engines


@pytest.fixture
def engine_opens(monkeypatch) -> list[str]:
    """Every connection an engine opens from here on, however it was asked for."""
    opened: list[str] = []
    for engine_class in (SQLiteDatabase, PostgresDatabase):
        def counted(self, location, *args, __init=engine_class.__init__, **kwargs):
            opened.append(str(location))
            __init(self, location, *args, **kwargs)

        monkeypatch.setattr(engine_class, "__init__", counted)
    return opened


def _calls_by_location(location) -> None:
    configure_checkins(location, "ana", enabled=True)
    list_checkins(location, "ana")
    apply_feedback(location, "ana", "", "note", "shorter please")
    load_preferences(location, "ana")
    person_zone(location, "ana")


def test_turns_open_no_connection_and_calls_by_path_borrow_the_stores(settings, engine_opens):
    location = settings.database_location
    store = open_sql_store(location)
    companion = Companion(settings=settings, chat=ScriptedChat(), store=store)
    assert len(engine_opens) == 1

    async def talk() -> None:
        for text in ("I have an interview tomorrow", "/note keep it short", "I feel low and tense, any ideas?"):
            [_ async for _ in companion.turn(text, user="ana")]

    asyncio.run(talk())
    _calls_by_location(location)  # given the path, as the CLI's commands are: the store's handle still
    assert len(engine_opens) == 1  # three turns and five calls by path later: still the store's one
    assert handles.holders(location) == 1  # every borrower let go; the store still holds it
    asyncio.run(store.close())
    assert handles.holders(location) == 0  # the last holder closed it


def test_a_command_holding_the_handle_opens_one_connection_for_all_its_calls(settings, engine_opens):
    location = settings.database_location
    with held(location):
        _calls_by_location(location)
    assert len(engine_opens) == 1  # without the hold, every call here opens (and closes) its own
    assert load_preferences(location, "ana").reply_length == "short"  # written through it, read by the next opener
