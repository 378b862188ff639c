"""LLM servers people already run on this machine: Ollama, llama.cpp's server, LM Studio.

``llm = "ollama:NAME"`` (or ``kindred chat --llm ollama:NAME``) is shorthand for Ollama's
OpenAI-compatible URL and the model NAME; ``llamacpp:`` and ``lmstudio:`` likewise. Each of
them speaks the OpenAI API under ``/v1``, which ``OpenAICompatibleChat`` already talks.

``probe`` asks one of them which models it serves (``/v1/models``; Ollama's own ``/api/tags``
too, which also lists models that ``/v1/models`` leaves out on older releases). Nothing here
contacts anything on import or on parsing: only ``kindred doctor`` and a chosen shorthand do.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import ConfigError


@dataclass(frozen=True)
class LocalServer:
    key: str  # the shorthand's prefix
    name: str  # what people call it
    port: int
    ollama_tags: bool = False  # also ask /api/tags (Ollama's native listing)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"


LOCAL_SERVERS: dict[str, LocalServer] = {
    "ollama": LocalServer("ollama", "Ollama", 11434, ollama_tags=True),
    "llamacpp": LocalServer("llamacpp", "llama.cpp server", 8080),
    "lmstudio": LocalServer("lmstudio", "LM Studio", 1234),
}


def shorthand_server(llm: str) -> LocalServer | None:
    """The local server an ``llm`` value names with its prefix (``ollama:…``), or None for any other value.

    A Windows path such as ``C:\\models\\x.gguf`` has a one-letter prefix and is not a shorthand."""
    prefix, sep, _ = llm.strip().partition(":")
    return LOCAL_SERVERS.get(prefix.lower()) if sep else None


def parse_shorthand(llm: str) -> tuple[str, str] | None:
    """``(url, model)`` for ``ollama:NAME`` / ``llamacpp:NAME`` / ``lmstudio:NAME``; None for other values.

    Only the first colon splits: Ollama's names carry their own tag (``ollama:qwen2.5:7b`` is the
    model ``qwen2.5:7b``). A prefix without a name raises ConfigError (code ``config-llm-shorthand``)."""
    server = shorthand_server(llm)
    if server is None:
        return None
    model = llm.strip().partition(":")[2].strip()
    if not model:
        raise ConfigError(f"Setting 'llm' is {llm!r}: {server.name} is named but not which of its models.",
                          f"Give the model after the colon, e.g. {server.key}:qwen2.5:7b; `kindred doctor` "
                          f"lists the models a running {server.name} serves.", code="config-llm-shorthand")
    return server.url, model


@dataclass(frozen=True)
class ProbeResult:
    server: LocalServer
    url: str
    running: bool
    models: tuple[str, ...] = ()
    problem: str = ""  # why it is not usable (empty when it answered)


def probe(server: LocalServer, *, url: str | None = None, timeout_s: float = 0.5) -> ProbeResult:
    """Ask ``server`` (at ``url``, default its usual loopback address) which models it serves.

    A closed port answers at once; the short timeout bounds a port held by something that never answers."""
    import httpx

    base = (url or server.url).rstrip("/")
    models: list[str] = []
    try:
        with httpx.Client(timeout=httpx.Timeout(timeout_s)) as client:
            listed = client.get(f"{base}/models")
            if listed.status_code == 200:
                models += _ids(listed.json().get("data"), "id")
            if server.ollama_tags:
                tags = client.get(f"{base.removesuffix('/v1')}/api/tags")
                if tags.status_code == 200:
                    models += _ids(tags.json().get("models"), "name")
            elif listed.status_code != 200:
                return ProbeResult(server, base, True, problem=f"/v1/models answered HTTP {listed.status_code}")
    except httpx.HTTPError as exc:
        return ProbeResult(server, base, False, problem=type(exc).__name__)
    except (ValueError, AttributeError) as exc:  # a body that is not the JSON object the API promises
        return ProbeResult(server, base, True, problem=f"not an OpenAI-compatible answer ({exc})")
    return ProbeResult(server, base, True, tuple(dict.fromkeys(models)))  # both listings, each name once


def _ids(items: object, key: str) -> list[str]:
    if not isinstance(items, list):
        return []
    return [str(item[key]) for item in items if isinstance(item, dict) and item.get(key)]
