"""`kindred recommend`: a suggestion that fits how you feel now, and telling Kindred how it went."""
from __future__ import annotations

import argparse
import json
import os
from datetime import datetime, timedelta
from pathlib import Path

from ..affect.readings_repo import ReadingsRepo
from ..database import is_postgres_url
from ..errors import StoreError
from .common import settings_from

OUTCOMES = ("helped", "taken", "liked", "declined", "disliked")
RECENT_AFFECT = timedelta(hours=6)  # an older reading says little about now


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("recommend", help="a suggestion that fits your mood",
                            description="Suggest an activity, music or reading that fits how you feel, "
                                        "chosen by what helped you before.")
    parser.add_argument("--valence", type=float, help="how you feel, -1 (awful) … 1 (great); "
                                                      "default: your latest mood from chat")
    parser.add_argument("--arousal", type=float, help="how wound up, 0 (calm) … 1 (agitated)")
    parser.add_argument("--feeling", action="append", default=[], metavar="LABEL",
                        help="an emotion label, e.g. nervousness, sadness, anger (repeatable)")
    parser.add_argument("--friend", action="append", default=[], metavar="NAME",
                        help="someone you could call (repeatable)")
    parser.add_argument("--music", metavar="DIR", help="your music folder (default: $KINDRED_MUSIC_DIR)")
    parser.add_argument("--language", choices=("en", "ko"), default="en")
    parser.add_argument("--outcome", nargs=2, metavar=("ID", "OUTCOME"),
                        help=f"how suggestion ID went: {', '.join(OUTCOMES)}")
    parser.add_argument("--history", action="store_true", help="list past suggestions and how they went")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--user", help="whose suggestions (default: the local user)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..database import held

    settings = settings_from(args)
    with held(settings.database_location):  # the command's calls share one handle: one connection
        return _run(args, settings)


def _run(args: argparse.Namespace, settings) -> int:
    from ..recommend.recommender import recommend, recommendation_history, record_outcome

    db, user, now = settings.database_location, settings.user, datetime.now().astimezone()
    if args.outcome:
        rec_id, outcome = args.outcome
        if outcome not in OUTCOMES or not rec_id.isdigit():
            print(f"kindred: give a suggestion id and one of: {', '.join(OUTCOMES)}")
            return 2
        reward = record_outcome(db, user, int(rec_id), outcome, now)
        print(f"Thanks. I'll remember that (reward {reward:.2f}).")
        return 0
    if args.history:
        rows = recommendation_history(db, user)
        if args.json:
            print(json.dumps(rows, ensure_ascii=False))
        for row in rows:
            print(f"{row['id']:>4}  {row['offered_at'][:16]}  {row['title']}  → {row['outcome'] or '(no answer)'}")
        if not rows:
            print("No suggestions yet.")
        return 0
    affect = _affect(args, db, user, now)
    music = args.music or os.environ.get("KINDRED_MUSIC_DIR")
    rec = recommend(db, user, affect, now, asked=True, friends=args.friend,
                    music_dir=Path(music) if music else None, language=args.language)
    if rec is None:  # pragma: no cover - an explicit ask always gets one
        print("Nothing to suggest right now.")
        return 0
    if args.json:
        print(json.dumps({"id": rec.id, "arm": rec.arm, "kind": rec.kind, "title": rec.title,
                          "steps": list(rec.steps), "why": rec.why}, ensure_ascii=False))
        return 0
    print(rec.as_text())
    print(f"\n(Tell me how it went: kindred recommend --outcome {rec.id} helped|taken|declined)")
    return 0


def _affect(args: argparse.Namespace, db: str | Path, user: str, now: datetime) -> dict:
    if args.valence is not None or args.feeling:
        return {"valence": args.valence or 0.0, "arousal": 0.5 if args.arousal is None else args.arousal,
                "labels": args.feeling}
    return _latest_reading(db, user, now) or {"valence": 0.0, "arousal": 0.5, "labels": []}


def _latest_reading(db: str | Path, user: str, now: datetime) -> dict | None:
    """The newest mood reading from chat (the core affect_readings table), if recent."""
    if not is_postgres_url(db) and not Path(db).exists():
        return None
    try:
        with ReadingsRepo.opened(db) as readings:
            row = readings.latest(user)
    except StoreError:  # damaged or unreachable: `kindred doctor` reports that
        return None
    if row is None or now - datetime.fromisoformat(row[3]) > RECENT_AFFECT:
        return None
    return {"valence": row[0], "arousal": row[1], "labels": [tuple(x) for x in json.loads(row[2])]}
