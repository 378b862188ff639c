"""Saying "forget that" / "그거 잊어줘" forgets the turn before it, and what was made from it."""
import pytest

from kindred.memory.commands import handle_memory_request

from .helpers import Harness

pytestmark = pytest.mark.both_engines


@pytest.mark.parametrize("request_text,language", [("forget that", "en"), ("Please forget what I just said.", "en"),
                                                   ("그거 잊어줘", "ko"), ("방금 말한 거 지워 줘", "ko")])
async def test_forget_that(locate, request_text, language):
    h = Harness(locate("k.db"))
    await h.say("u", "I love tea.")
    _, secret, _ = await h.say("u", "My boss is called Darth and I hate him.")
    await h.say("u", request_text)  # the turn loop stores the request before handling it
    reply = await handle_memory_request(h.store, "u", request_text, book=h.book)
    assert reply and (("잊었" in reply) if language == "ko" else ("forgotten" in reply))
    texts = [t.text for t in await h.store.recent_turns("u", limit=50)]
    assert "My boss is called Darth and I hate him." not in texts and "I love tea." in texts
    assert all(secret not in m.source_turns for m in await h.book.list("u", limit=100))
    assert h.book.keyword("u", "Darth boss", 5) == []
    assert {m.value for m in await h.book.list("u", kind="fact")} == {"likes"}
    await h.close()


async def test_ordinary_talk_is_not_a_memory_request(locate):
    h = Harness(locate("k.db"))
    for text in ("I can't forget that day at the beach", "잊지 못할 하루였어", "hello"):
        assert await handle_memory_request(h.store, "u", text, book=h.book) is None
    await h.close()


async def test_what_do_you_remember_about_me(locate):
    h = Harness(locate("k.db"))
    assert "anything" in await handle_memory_request(h.store, "u", "What do you remember about me?", book=h.book)
    await h.say("u", "My sister is called Mina.")
    assert "Mina" in await handle_memory_request(h.store, "u", "what do you know about me", book=h.book)
    await h.close()
