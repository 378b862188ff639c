"""`kindred mood`: the user's mood timeline as a terminal sparkline and a PNG."""
from __future__ import annotations

import argparse
from pathlib import Path

from ..affect.mood import by_day, draw_png, read_timeline, sparkline
from ..config import load_settings


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("mood", help="draw your mood over time",
                            description="Show the mood timeline stored from your conversations.")
    parser.add_argument("--user", help="whose timeline (default: the local user)")
    parser.add_argument("--days", type=int, default=30, help="how many days back (default: 30; 0: all)")
    parser.add_argument("--out", metavar="PNG", help="where to write the picture (default: KINDRED_HOME/mood.png)")
    parser.add_argument("--no-png", action="store_true", help="only print, draw nothing")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    settings = load_settings(user=args.user)
    points = read_timeline(settings.database_location, settings.user, days=args.days or None)
    span = f"the last {args.days} days" if args.days else "all time"
    if not points:
        print(f"No mood readings for '{settings.user}' in {span} yet. Talk with `kindred chat` first.")
        return 0
    days = by_day(points)
    print(f"Mood of '{settings.user}', {span}: {len(points)} readings over {len(days)} days")
    print(f"  valence (daily)  {sparkline([d.valence for d in days])}   -1 … 1")
    print(f"  arousal (daily)  {sparkline([d.arousal for d in days], 0.0, 1.0)}   0 … 1")
    print(f"  recent readings  {sparkline([p.valence for p in points[-60:]])}")
    for day in days[-7:]:
        print(f"  {day.day.isoformat()}  valence {day.valence:+.2f}  arousal {day.arousal:.2f}  "
              f"{day.readings:3d} readings  mostly {day.top_label}")
    if not args.no_png:
        out = Path(args.out).expanduser() if args.out else settings.home / "mood.png"
        draw_png(points, out, title=f"Mood of {settings.user} ({span})")
        print(f"Picture: {out}")
    return 0
