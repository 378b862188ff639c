"""Options and set-up shared by the commands that talk to the companion."""
from __future__ import annotations

import argparse
import sys

from ..config import Settings, load_settings
from .progress import ProgressBar


def add_llm_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("language model")
    group.add_argument("--model", "--llm", dest="model", metavar="NAME|PATH",
                       help="'embedded' (default), 'small' (tiny, fast, weak), a path to a .gguf file, or a "
                            "model of a server on this machine: ollama:NAME, llamacpp:NAME, lmstudio:NAME "
                            "(`kindred doctor` lists them)")
    group.add_argument("--llm-url", metavar="URL", help="an OpenAI-compatible server, e.g. http://127.0.0.1:8080/v1")
    group.add_argument("--llm-model", metavar="NAME", help="the model name to ask the server for")
    parser.add_argument("--user", help="whose conversation this is (default: the local user)")


def settings_from(args: argparse.Namespace) -> Settings:
    return load_settings(llm=getattr(args, "model", None), llm_url=getattr(args, "llm_url", None),
                         llm_model=getattr(args, "llm_model", None), user=getattr(args, "user", None))


def assembling_progress() -> ProgressBar:
    return ProgressBar("Preparing the model (first run only)")


MEMORY_WAIT_S = 20.0  # at exit, how long facts still waiting for the model may take before the rules do them


async def finish_memory(companion) -> None:
    """Facts waiting for the model are extracted before the process goes (bounded; then by the rules):
    a command that returns while the model still extracts would close the loop under it."""
    if companion.memory is not None and companion.memory.queue.pending:
        print("(remembering what you said…)", file=sys.stderr, flush=True)
        await companion.memory.finish(MEMORY_WAIT_S)
