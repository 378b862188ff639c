"""`kindred face --image PATH`: the facial expression in one photo.

``describe_image(path)`` is the plain-dict form, shared with ``kindred emotion --image``.
The image is read into memory, read for a face and dropped; nothing is stored.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from ..errors import InputError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("face", help="read the facial expression in a photo",
                            description="Find the largest face in an image and print the seven FER2013 "
                                        "expressions with probabilities, valence, arousal and confidence. "
                                        "The image is not stored.")
    parser.add_argument("--image", required=True, metavar="PATH", help="a JPEG, PNG, BMP or WebP file")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=run)


def describe_image(path: str | Path) -> dict[str, Any]:
    """Read the face in the image at ``path``: the reading as a dict, plus ``latency_ms``."""
    from ..perception.face import load_face_reader

    path = Path(path).expanduser()
    if not path.is_file():
        raise InputError(f"There is no image at {path}.", "Give the path of a photo: --image face.jpg",
                         code="image-missing")
    data = path.read_bytes()
    reader = load_face_reader()
    began = time.perf_counter()
    reading = reader.read(data)
    out = reading.to_dict()
    out["latency_ms"] = round((time.perf_counter() - began) * 1000.0, 2)
    return out


def format_description(out: dict[str, Any]) -> list[str]:
    if not out["found"]:
        width, height = out["image_size"]
        return [f"no face found in the {width}×{height} image (model {out['model']})"]
    box = out["box"]
    lines = [
        f"face       {box['width']}×{box['height']} at ({box['x']}, {box['y']}); "
        f"{out['faces_found']} found   confidence {out['confidence']:.2f}   model {out['model']}",
        f"looks      {out['top']}",
        f"valence    {out['valence']:+.2f}  (-1 unpleasant … +1 pleasant)",
        f"arousal    {out['arousal']:.2f}  (0 calm … 1 excited)",
    ]
    lines += [f"    {item['label']:<9} {item['p']:.3f}  {'█' * round(item['p'] * 20)}" for item in out["labels"]]
    lines.append(f"latency    {out['latency_ms']:.1f} ms")
    return lines


def run(args: argparse.Namespace) -> int:
    out = describe_image(args.image)
    if args.json:
        print(json.dumps(out, ensure_ascii=False))
    else:
        print("\n".join(format_description(out)))
    return 0
