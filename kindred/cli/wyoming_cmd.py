"""`kindred wyoming`: Kindred as a Wyoming service for Home Assistant's Assist and Wyoming satellites."""
from __future__ import annotations

import argparse
import asyncio
import sys

from .common import add_llm_options

DEFAULT_URI = "tcp://127.0.0.1:10700"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "wyoming", help="serve speech to text, her voice and conversation over the Wyoming protocol",
        description="Serve Kindred over the Wyoming protocol: speech to text (Whisper), text to speech (her voice, "
                    "in her tone) and conversation (her reply, through the whole turn loop), for Home Assistant's "
                    "Assist or a Wyoming satellite. Everyone who reaches the port speaks as --user.")
    parser.add_argument("--uri", default=DEFAULT_URI,
                        help=f"where to listen: tcp://HOST:PORT, unix://PATH or stdio:// (default: {DEFAULT_URI})")
    parser.add_argument("--no-speech", action="store_true",
                        help="conversation only: do not load Whisper and her voices")
    add_llm_options(parser)
    parser.set_defaults(func=run)


def _version() -> str:
    import importlib.metadata

    try:
        return importlib.metadata.version("kindred")
    except importlib.metadata.PackageNotFoundError:
        return "source"


def run(args: argparse.Namespace) -> int:
    from ..wyoming import require_wyoming

    require_wyoming()  # first: a missing extra is said before any model loads
    from ..runtime import open_companion
    from ..wyoming.server import parse_uri, serve
    from ..wyoming.service import WyomingService
    from ..wyoming.speech import SpeechEngines
    from .common import assembling_progress, finish_memory, settings_from

    parse_uri(args.uri)
    settings = settings_from(args)
    speech = SpeechEngines(settings)
    if not args.no_speech:
        speech.load()
        if speech.problem is not None:
            print(f"kindred: serving conversation only, speech is off: {speech.problem}", file=sys.stderr)
    companion = open_companion(settings, assembling_progress(), feelings_off=lambda exc: print(
        f"kindred: feelings from words are off: {exc.message}", file=sys.stderr))
    service = WyomingService(companion, speech, settings.user)

    def ready() -> None:
        offered = "speech to text, text to speech and conversation" if speech.available else "conversation"
        print(f"Kindred's Wyoming endpoint is listening on {args.uri} ({offered}; as '{settings.user}', "
              f"model {companion.chat.model}). Ctrl-C stops it.", file=sys.stderr, flush=True)

    async def main() -> None:
        try:
            await serve(service, args.uri, version=_version(), ready=ready)
        finally:
            await service.finish()
            await finish_memory(companion)

    asyncio.run(main())
    return 0
