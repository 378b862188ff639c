"""REST for what Kindred has learned about the user, and for the check-ins she starts herself.

``/api/learned``: the learned preferences, as plain lines and as editable values.
``/api/checkins``: pending check-ins, the opt-in switch, and cancelling one.
``/api/timezone``: the page reports the browser's time zone, so check-ins come on the person's clock.
Every call names its user from the session token; nothing takes a user from the request.
"""
from __future__ import annotations

import asyncio
from datetime import datetime

from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from ..bounded_json import bounded_id
from ..events import CheckIn
from ..learning import describe_preferences, forget_preferences, load_preferences, set_preference
from ..learning.preferences import LEVELS_3, LISTENING, REGISTERS, REPLY_LENGTHS
from .errors import AccountError
from .state import state_of

LIST_FIELDS = ("avoid_topics", "never_call", "notes")
CHOICES = {"reply_length": REPLY_LENGTHS, "humour": LEVELS_3, "advice_vs_listening": LISTENING,
           "register_ko": REGISTERS}


def learned_json(db_path, user: str) -> dict:
    prefs = load_preferences(db_path, user)
    return {"lines": list(describe_preferences(prefs)), "preferences": prefs.to_dict(),
            "choices": {name: list(values) for name, values in CHOICES.items()},
            "list_fields": list(LIST_FIELDS)}


async def learned(request: Request) -> JSONResponse:
    state = state_of(request)
    user = state.require_user(request)
    return JSONResponse(await asyncio.to_thread(learned_json, state.db, user))


async def learned_edit(request: Request) -> JSONResponse:
    """``{"field": "reply_length", "value": "short"}``; list fields take ``+item`` / ``-item``."""
    from .api import json_body

    state = state_of(request)
    user = state.require_user(request)
    body = await json_body(request)
    field, value = str(body.get("field", "")), body.get("value", "")
    if not isinstance(value, str) or len(value) > 200:
        raise AccountError("A preference value is a short text.", "Send under 200 characters.",
                           code="preference-invalid")
    if field in CHOICES and value == "" and field != "register_ko":
        value = "normal" if field != "advice_vs_listening" else "balanced"
    await asyncio.to_thread(set_preference, state.db, user, field, value)
    return JSONResponse(await asyncio.to_thread(learned_json, state.db, user))


async def learned_forget(request: Request) -> JSONResponse:
    state = state_of(request)
    user = state.require_user(request)
    await asyncio.to_thread(forget_preferences, state.db, user)
    return JSONResponse(await asyncio.to_thread(learned_json, state.db, user))


def checkins_json(db_path, user: str, default_zone: str = "") -> dict:
    from ..localtime.person import person_zone
    from ..recommend import checkin_settings, list_checkins

    settings = checkin_settings(db_path, user)
    return {"enabled": settings.enabled, "quiet_start": settings.quiet_start.isoformat("minutes"),
            "quiet_end": settings.quiet_end.isoformat("minutes"), "daily_cap": settings.daily_cap,
            "timezone": person_zone(db_path, user, default_zone).name,
            "items": [checkin_item(c) for c in list_checkins(db_path, user)]}


def checkin_item(checkin) -> dict:
    return {"id": checkin.id, "message": checkin.message, "language": checkin.language,
            "due_at": checkin.due_at.isoformat(), "reason": checkin.reason, "status": checkin.status}


async def checkins(request: Request) -> JSONResponse:
    state = state_of(request)
    user = state.require_user(request)
    return JSONResponse(await asyncio.to_thread(checkins_json, state.db, user, _default_zone(state)))


async def checkins_settings(request: Request) -> JSONResponse:
    """``{"enabled": true}``: opt in to check-ins (off until the user says so)."""
    from ..recommend import configure_checkins
    from .api import json_body

    state = state_of(request)
    user = state.require_user(request)
    enabled = (await json_body(request)).get("enabled")
    if not isinstance(enabled, bool):
        raise AccountError("Say whether check-ins are on.", "Send {\"enabled\": true} or false.",
                           code="checkins-invalid")
    await asyncio.to_thread(configure_checkins, state.db, user, enabled=enabled)
    return JSONResponse(await asyncio.to_thread(checkins_json, state.db, user, _default_zone(state)))


async def checkin_cancel(request: Request) -> JSONResponse:
    from ..recommend import cancel_checkin

    state = state_of(request)
    user = state.require_user(request)
    checkin_id = bounded_id(request.path_params["checkin_id"])
    if checkin_id is None:  # not a number, or one too wide for the id column
        raise AccountError("There is no such check-in.", "Cancel one listed on your page.", code="checkin-missing")
    await asyncio.to_thread(cancel_checkin, state.db, user, checkin_id)
    return JSONResponse(await asyncio.to_thread(checkins_json, state.db, user, _default_zone(state)))


def deliver_checkins(db_path, user: str, now: datetime, default_zone: str = "") -> list[CheckIn]:
    """Due check-ins for this user, claimed for this page alone (another replica's page gets none of them)."""
    from ..recommend import deliver_due

    return [CheckIn(**checkin_item(c)) for c in deliver_due(db_path, user, now, default_zone=default_zone)]


async def timezone_report(request: Request) -> JSONResponse:
    """``{"timezone": "Asia/Seoul"}``, the browser's zone, sent by the page on sign-in. A zone the person chose
    themselves (``kindred checkins tz``) is kept; the answer says which zone is in effect."""
    from ..localtime.person import REPORTED, set_person_zone
    from .api import json_body

    state = state_of(request)
    user = state.require_user(request)
    name = (await json_body(request)).get("timezone")
    if not isinstance(name, str) or not 0 < len(name) <= 64:
        raise AccountError("Send the browser's time zone.", "Send {\"timezone\": \"Asia/Seoul\"}, from "
                           "Intl.DateTimeFormat().resolvedOptions().timeZone.", code="timezone-invalid")
    zone = await asyncio.to_thread(set_person_zone, state.db, user, name, by=REPORTED)
    return JSONResponse({"timezone": zone.name, "set_by": zone.set_by})


def _default_zone(state) -> str:
    return state.companion.settings.timezone


ROUTES = [
    Route("/api/learned", learned, methods=["GET"]),
    Route("/api/learned", learned_edit, methods=["POST"]),
    Route("/api/learned", learned_forget, methods=["DELETE"]),
    Route("/api/checkins", checkins, methods=["GET"]),
    Route("/api/checkins/settings", checkins_settings, methods=["POST"]),
    Route("/api/checkins/{checkin_id}", checkin_cancel, methods=["DELETE"]),
    Route("/api/timezone", timezone_report, methods=["POST"]),
]
