"""The command line: the one synchronous edge around the async core."""
from __future__ import annotations

import argparse
import importlib
import sys

from ..errors import KindredError

# Each module adds its subcommands with register(subparsers); a missing optional one is skipped.
COMMAND_MODULES = [
    "kindred.cli.chat_cmd",
    "kindred.cli.emotion_cmd",
    "kindred.cli.train_cmd",
    "kindred.cli.mood_cmd",
    "kindred.cli.memory_cmd",
    "kindred.cli.privacy_cmd",
    "kindred.cli.recommend_cmd",
    "kindred.cli.checkins_cmd",
    "kindred.cli.voice_cmd",
    "kindred.cli.serve_cmd",
    "kindred.cli.wyoming_cmd",
    "kindred.cli.account_cmd",
    "kindred.cli.keys_cmd",
    "kindred.cli.face_cmd",
    "kindred.cli.bench_cmd",
    "kindred.cli.doctor_cmd",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kindred", description="Kindred: a local-first AI companion you own.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except KindredError as exc:
        print(f"kindred: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("", file=sys.stderr)
        return 130
