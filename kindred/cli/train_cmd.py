"""`kindred train emotion`: rebuild the committed emotion model from GoEmotions."""
from __future__ import annotations

import argparse
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("train", help="train a model", description="Train one of Kindred's own models.")
    parser.add_argument("what", choices=["emotion"], help="which model")
    parser.add_argument("--out", metavar="DIR", help="where to write it (default: the packaged weights folder)")
    parser.add_argument("--cache", metavar="DIR",
                        help="where to cache fitted models between runs (default: $TMPDIR/kindred-emotion-cache)")
    parser.add_argument("--limit", type=int, metavar="N", help="train on N sentences per language (a quick check)")
    parser.add_argument("--ngram-only", action="store_true",
                        help="tune the n-gram part alone, without the fine-tuned encoder")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..perception.emotion.train import train

    def log(message: str) -> None:
        print(message, flush=True)

    manifest = train(Path(args.out) if args.out else None, cache_dir=Path(args.cache) if args.cache else None,
                     limit=args.limit, log=log, with_encoder=not args.ngram_only)
    for lang, spec in manifest["languages"].items():
        print(f"{lang}: dev macro-F1 {spec['dev_macro_f1']:.4f}")
    return 0
