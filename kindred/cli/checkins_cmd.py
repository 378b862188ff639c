"""`kindred checkins`: see, cancel and tune the check-ins Kindred starts herself (opt-in)."""
from __future__ import annotations

import argparse
import json
import re
from datetime import datetime, time, timedelta

from .common import settings_from


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("checkins", help="check-ins Kindred starts (opt-in)",
                            description="Check-ins: the day after an interview, \"how did it go?\". "
                                        "Off until you turn them on.")
    parser.add_argument("--user", help="whose check-ins (default: the local user)")
    actions = parser.add_subparsers(dest="action", metavar="ACTION")
    listing = actions.add_parser("list", help="pending check-ins and the settings")
    listing.add_argument("--all", action="store_true", help="also delivered and cancelled ones")
    listing.add_argument("--json", action="store_true")
    cancel = actions.add_parser("cancel", help="cancel one check-in, or all with --all")
    cancel.add_argument("id", nargs="?", type=int)
    cancel.add_argument("--all", action="store_true")
    actions.add_parser("on", help="opt in")
    actions.add_parser("off", help="opt out (pending ones wait)")
    actions.add_parser("stop", help="opt out and cancel everything pending")
    quiet = actions.add_parser("quiet", help="quiet hours, e.g. 22:00-08:00")
    quiet.add_argument("span")
    cap = actions.add_parser("cap", help="at most N check-ins a day")
    cap.add_argument("count", type=int)
    snooze = actions.add_parser("snooze", help="pause for a while: 3h, 2d, or 'off'")
    snooze.add_argument("duration")
    tz = actions.add_parser("tz", help="your time zone: show it, set it (Asia/Seoul), or 'auto'",
                            description="Check-ins, quiet hours and \"tomorrow\" follow your time zone. "
                                        "'auto' forgets your choice: the page's browser zone, the timezone "
                                        "setting or this machine's is used instead.")
    tz.add_argument("zone", nargs="?", help="an IANA name such as Asia/Seoul or Europe/London, or 'auto'")
    add = actions.add_parser("add", help="schedule from a sentence, e.g. \"interview on Friday\"")
    add.add_argument("text")
    add.add_argument("--language", choices=("en", "ko"), default="en")
    parser.set_defaults(func=run, action="list", all=False, json=False)


def run(args: argparse.Namespace) -> int:
    from ..database import held

    settings = settings_from(args)
    with held(settings.database_location):  # the command's calls share one handle: one connection
        return _run(args, settings)


def _run(args: argparse.Namespace, settings) -> int:
    from ..localtime.person import person_zone
    from ..recommend import checkins as ci

    db, user = settings.database_location, settings.user
    if args.action == "tz":
        return _zone(db, user, settings.timezone, args.zone)
    zone = person_zone(db, user, settings.timezone).zone
    now = datetime.now(zone)  # what the person reads (snooze, due times) is on their own clock
    action = args.action
    if action == "cancel":
        if args.id is None and not args.all:
            print("kindred: give a check-in id, or --all")
            return 2
        count = ci.cancel_checkin(db, user, None if args.all else args.id)
        print(f"Cancelled {count} check-in{'s' if count != 1 else ''}.")
    elif action in {"on", "off"}:
        ci.configure_checkins(db, user, enabled=action == "on")
        print("Check-ins are on." if action == "on" else "Check-ins are off.")
    elif action == "stop":
        count = ci.stop_checkins(db, user)
        print(f"Check-ins are off; cancelled {count} pending.")
    elif action == "quiet":
        match = re.fullmatch(r"(\d{1,2}:\d{2})-(\d{1,2}:\d{2})", args.span.strip())
        if not match:
            print("kindred: give quiet hours as HH:MM-HH:MM, e.g. 22:00-08:00")
            return 2
        start, end = (time.fromisoformat(part.zfill(5)) for part in match.groups())
        ci.configure_checkins(db, user, quiet=(start, end))
        print(f"Quiet hours: {start:%H:%M}–{end:%H:%M}.")
    elif action == "cap":
        ci.configure_checkins(db, user, daily_cap=args.count)
        print(f"At most {args.count} check-in{'s' if args.count != 1 else ''} a day.")
    elif action == "snooze":
        return _snooze(ci, db, user, now, args.duration)
    elif action == "add":
        found = ci.schedule_from_memory(db, user, args.text, now, language=args.language,
                                        default_zone=settings.timezone)
        if found is None:
            print("I couldn't find an event and a day in that (try \"interview on Friday\").")
            return 1
        print(f"#{found.id} {found.due_at.astimezone(zone):%a %d %b %H:%M}: {found.message}")
    else:
        return _list(ci, db, user, args.all, args.json, zone)
    return 0


def _zone(db, user: str, default: str, name: str | None) -> int:
    from ..localtime.person import forget_person_zone, person_zone, set_person_zone

    if name == "auto":
        forget_person_zone(db, user)
    elif name:
        set_person_zone(db, user, name)  # an unknown name: TimeZoneError, with the fix
    current = person_zone(db, user, default)
    source = {"person": "your choice", "browser": "from your browser", "setting": "the timezone setting",
              "machine": "this machine's"}[current.set_by]
    print(f"Time zone: {current.name} ({source}); it is {datetime.now(current.zone):%a %d %b %H:%M} there.")
    return 0


def _snooze(ci, db, user: str, now: datetime, duration: str) -> int:
    if duration == "off":
        ci.configure_checkins(db, user, clear_snooze=True)
        print("Snooze cleared.")
        return 0
    match = re.fullmatch(r"(\d+)\s*([hd])", duration.strip().lower())
    if not match:
        print("kindred: give a snooze like 3h or 2d, or 'off'")
        return 2
    amount = int(match[1])
    until = now + (timedelta(hours=amount) if match[2] == "h" else timedelta(days=amount))
    ci.configure_checkins(db, user, snoozed_until=until)
    print(f"Snoozed until {until:%a %d %b %H:%M}.")
    return 0


def _list(ci, db, user: str, include_done: bool, as_json: bool, zone) -> int:
    from ..localtime import zone_name

    settings = ci.checkin_settings(db, user)
    found = ci.list_checkins(db, user, include_done=include_done)
    if as_json:
        print(json.dumps({"enabled": settings.enabled, "quiet": [settings.quiet_start.isoformat("minutes"),
                                                                  settings.quiet_end.isoformat("minutes")],
                          "daily_cap": settings.daily_cap, "timezone": zone_name(zone),
                          "checkins": [{"id": c.id, "due_at": c.due_at.isoformat(), "status": c.status,
                                        "message": c.message, "reason": c.reason} for c in found]},
                         ensure_ascii=False))
        return 0
    state = "on" if settings.enabled else "off (turn on: kindred checkins on)"
    print(f"Check-ins are {state}; quiet {settings.quiet_start:%H:%M}–{settings.quiet_end:%H:%M} "
          f"({zone_name(zone)}); at most {settings.daily_cap} a day.")
    if settings.snoozed_until:
        print(f"Snoozed until {settings.snoozed_until.astimezone(zone):%a %d %b %H:%M}.")
    for c in found:
        status = "" if c.status == "pending" else f" [{c.status}]"
        print(f"  #{c.id}  {c.due_at.astimezone(zone):%a %d %b %H:%M}{status}  {c.message}")
    if not found:
        print("  Nothing scheduled.")
    return 0
