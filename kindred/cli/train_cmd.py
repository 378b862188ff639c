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
    parser.add_argument("--native-only", action="store_true",
                        help="refit only the native-Korean reader on KOTE (cross-validated first)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..perception.emotion.train import default_cache_dir, train

    def log(message: str) -> None:
        print(message, flush=True)

    if args.native_only:
        from ..perception.emotion.model import WEIGHTS_DIR
        from ..perception.emotion.native_train import train_native

        native = train_native(Path(args.out) if args.out else WEIGHTS_DIR, log, with_encoder=not args.ngram_only,
                              cache=Path(args.cache) if args.cache else default_cache_dir())
        print(f"ko native: KOTE cross-validated {native['languages']['ko']['native']['cross_validated']}")
        return 0
    manifest = train(Path(args.out) if args.out else None, cache_dir=Path(args.cache) if args.cache else None,
                     limit=args.limit, log=log, with_encoder=not args.ngram_only)
    for lang, spec in manifest["languages"].items():
        print(f"{lang}: dev macro-F1 {spec['dev_macro_f1']:.4f}")
    return 0
