"""Carrying out a spoken command on the server side, and what to say back.

Page actions (large text, language, panels, camera, hands-free) are carried out by the page
when it receives ``{"event": "command", "action": ...}``; here we only confirm them.
"""
from __future__ import annotations

import asyncio
import logging

from ..errors import KindredError
from .voice_commands import confirmation

log = logging.getLogger("kindred.server")


async def forget_turn(store, user: str, turn_id: str) -> bool:
    """Forget one turn (both sides, and memories made from it) with the memory book, if it is there."""
    if not turn_id:
        return False
    try:
        from ..memory.book import MemoryBook
    except ImportError:
        return False
    try:
        return await MemoryBook(store).forget_turn(user, turn_id) > 0
    except (KindredError, AttributeError, Exception) as exc:  # an older store without the memory tables
        log.warning("forget that: %s", exc)
        return False


async def run_command(conversation, action: str, language: str) -> tuple[str, dict]:
    """(the spoken confirmation, extra fields for the page)."""
    state, user = conversation.state, conversation.user
    if action == "repeat":
        text, reply_language = conversation.last_reply
        if not text:
            return confirmation("nothing_to_repeat", language), {}
        return confirmation("repeat", language), {"text": text, "text_language": reply_language}
    if action == "stop":  # this very command runs as the current turn: stop what is being spoken
        if conversation.speaking is not None:
            conversation.speaking.cancel()
        return confirmation("stop", language), {}
    if action == "forget_that":
        forgotten = await forget_turn(state.companion.store, user, conversation.last_heard)
        if forgotten:
            conversation.last_heard = ""
            conversation.last_reply = ("", language)
        return confirmation("forget_that" if forgotten else "forget_unavailable", language), {"done": forgotten}
    if action in ("checkins_on", "checkins_off"):
        from ..recommend import configure_checkins

        await asyncio.to_thread(configure_checkins, state.db, user, enabled=action == "checkins_on")
    return confirmation(action, language), {}
