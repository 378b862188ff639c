"""`kindred emotion TEXT`: what the emotion model reads in one message."""
from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from ..errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("emotion", help="read the feelings in a message",
                            description="Print GoEmotions labels with probabilities, valence, arousal, "
                                        "language and latency for TEXT (English or Korean).")
    parser.add_argument("text", nargs="*", help="the message (read from standard input when absent)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--top", type=int, default=5, help="how many labels to list (default: 5)")
    parser.add_argument("--image", metavar="PATH",
                        help="read the facial expression in a photo instead (kept in memory, never stored)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.image:
        from .face_cmd import describe_image, format_description

        out = describe_image(args.image)
        print(json.dumps(out, ensure_ascii=False) if args.json else "\n".join(format_description(out)))
        return 0
    from ..perception.emotion.model import load_emotion_model
    from ..perception.emotion.taxonomy import ekman_view

    text = " ".join(args.text) if args.text else ("" if sys.stdin.isatty() else sys.stdin.read())
    if not text.strip():
        raise InputError("There is no text to read.",
                         "Give the message as an argument: kindred emotion \"I'm so tired\"")
    model = load_emotion_model()
    reading, latency_ms = model.timed_read(text)
    if args.json:
        out = asdict(reading)
        out["labels"] = [{"label": label, "p": p} for label, p in reading.labels]
        out["ekman"] = {k: round(v, 4) for k, v in ekman_view(dict(reading.labels)).items()}
        out["latency_ms"] = round(latency_ms, 2)
        print(json.dumps(out, ensure_ascii=False))
        return 0
    print(f"language   {reading.language}   confidence {reading.confidence:.2f}   model {reading.model}")
    print(f"feels      {', '.join(reading.active)}")
    print(f"valence    {reading.valence:+.2f}  (-1 unpleasant … +1 pleasant)")
    print(f"arousal    {reading.arousal:.2f}  (0 calm … 1 excited)")
    for label, p in reading.labels[:max(1, args.top)]:
        mark = "*" if label in reading.active else " "
        print(f"  {mark} {label:<15} {p:.3f}  {'█' * round(p * 20)}")
    print(f"latency    {latency_ms:.1f} ms")
    return 0
