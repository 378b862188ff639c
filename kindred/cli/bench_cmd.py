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
    parser.add_argument("--model", metavar="NAME|PATH", help="which LLM, where the suite uses one (load: small, "
                                                             "or embedded for the model inside `kindred serve`)")
    parser.add_argument("--out", metavar="DIR", help="where to write plots (default: KINDRED_HOME/bench)")
    parser.add_argument("--qa", type=int, metavar="N", help="memory: also answer N questions with the LLM")
    replies = parser.add_argument_group("replies")
    replies.add_argument("--sample", type=int, metavar="N",
                         help="replies: N single messages per language and N/5 conversations, spread over the set")
    replies.add_argument("--no-once", action="store_true", help="replies: skip timing `chat --once` in new processes")
    replies.add_argument("--lang", choices=("en", "ko"), action="append", dest="languages",
                         help="replies: only this language's messages (repeatable; default: both)")
    replies.add_argument("--no-baseline", action="store_true",
                         help="replies: skip the plain-prompt baseline (about half the time; no margins)")
    memory = parser.add_argument_group("memory")
    memory.add_argument("--conversations", type=int, metavar="N", help="LoCoMo conversations for recall (default: 10)")
    memory.add_argument("--latency-sizes", metavar="K,K,...", type=_counts,
                        help="memory counts for the latency part (default: 10000,100000)")
    memory.add_argument("--no-latency", action="store_true", help="skip the latency part")
    memory.add_argument("--extraction", action="store_true",
                        help="instead: the share of extracted facts the turn supports, with and without grounding "
                             "(80 written turns; --quick: 4 on the small model)")
    memory.add_argument("--qa-conversations", type=int, metavar="K",
                        help="take the --qa questions from K conversations spread over the list (default: all); "
                             "each costs one full read of the baseline's context window")
    memory.add_argument("--qa-samples", metavar="ID,ID", type=lambda text: [p for p in text.split(",") if p],
                        help="take the --qa questions only from these LoCoMo sample ids (conv-26, ...)")
    memory.add_argument("--qa-minutes", type=float, metavar="M",
                        help="start no conversation's questions that would end after M minutes of QA")
    empathy = parser.add_argument_group("empathy")
    empathy.add_argument("--esconv", metavar="FILE",
                         help="empathy: an ESConv strategy TSV to score (default: ../shared/data/esconv/dev.tsv)")
    empathy.add_argument("--esconv-ko", metavar="FILE",
                         help="empathy: the Korean set in the same format (default: the packaged "
                              "kindred/bench/data/esconv_ko.tsv)")
    empathy.add_argument("--fresh-readings", action="store_true",
                         help="empathy: read every message with the emotion model again instead of the readings "
                              "kept by text under KINDRED_HOME/bench (and rewrite them)")
    load = parser.add_argument_group("load")
    load.add_argument("--users", metavar="K,K,...", type=_counts,
                      help="how many users talk at once, one level each (default: 10,50,200; K=1 always runs first)")
    load.add_argument("--turns", type=int, metavar="N", help="turns each user says, one after another (default: 2)")
    load.add_argument("--replicas", type=int, metavar="N",
                      help="N kindred serve processes over one PostgreSQL behind nginx, with N=1 behind the same "
                           "proxy as the baseline (default: 1, direct, over SQLite)")
    load.add_argument("--llm-url", metavar="URL", help="a running OpenAI-compatible server (default: a simulated one; "
                                                       "--model small: llama-cpp-python's with the tiny model)")
    load.add_argument("--llm-model", metavar="NAME", help="the model name to ask --llm-url for")
    load.add_argument("--memory-extraction", choices=("rules", "llm"),
                      help="load: how the replicas pull facts from each turn (default: rules; llm is the "
                           "product's default, a second LLM call after each reply)")
    load.add_argument("--micro-batch", action="store_true",
                      help="load: replicas encode concurrent turns' messages together (kindred serve --micro-batch)")
    load.add_argument("--scenarios-only", action="store_true",
                      help="load: only the quick-replier and long-message scenarios, no K-user levels "
                           "(for --model embedded, which answers one turn at a time)")
    voice = parser.add_argument_group("voice")
    voice.add_argument("--part", choices=("turn-taking",),
                       help="voice: only this part (turn-taking needs no LLM: her reply is synthesized once)")
    parser.set_defaults(func=run)


def _counts(text: str) -> tuple[int, ...]:
    try:
        counts = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        counts = ()
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a list of counts like 10,50,200")
    return counts


def run(args: argparse.Namespace) -> int:
    options = {"quick": args.quick, "model": args.model, "out": args.out}
    if args.qa:
        options["qa"] = args.qa
    for name in ("users", "turns", "replicas", "llm_url", "llm_model", "memory_extraction", "scenarios_only",
                 "micro_batch", "conversations", "qa_conversations", "qa_samples", "qa_minutes", "sample",
                 "no_once", "languages", "no_baseline", "esconv", "esconv_ko", "fresh_readings", "extraction",
                 "part"):
        if getattr(args, name, None):
            options[name] = getattr(args, name)
    if getattr(args, "latency_sizes", None):
        options["latency_sizes"] = list(args.latency_sizes)
    if getattr(args, "no_latency", False):
        options["latency_sizes"] = []
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
