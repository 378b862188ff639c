"""`kindred bench NAME`: measured figures, with the baseline measured in the same run."""
from __future__ import annotations

import argparse
import json

from ..bench import SUITES, format_table, run_suite


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("bench", help="run a benchmark", description="Run a benchmark suite.")
    parser.add_argument("name", choices=sorted(SUITES))
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object, last")
    parser.add_argument("--quick", action="store_true", help="a smaller, faster run (for smoke tests)")
    parser.add_argument("--model", metavar="NAME|PATH", help="which LLM, where the suite uses one")
    parser.add_argument("--out", metavar="DIR", help="where to write plots (default: KINDRED_HOME/bench)")
    parser.add_argument("--qa", type=int, metavar="N", help="memory: also answer N questions with the LLM")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    options = {"quick": args.quick, "model": args.model, "out": args.out}
    if args.qa:
        options["qa"] = args.qa
    result = run_suite(args.name, options)
    print(result.get("title", args.name))
    for table in result.get("tables", []):
        print()
        print(format_table(table))
    for note in result.get("notes", []):
        print(f"\n{note}")
    if args.json:
        print(json.dumps(result["figures"], ensure_ascii=False))
    return 0
