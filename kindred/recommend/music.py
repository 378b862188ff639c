"""Music from the user's own folder: tags read with mutagen when installed, else file names. No network."""
from __future__ import annotations

import functools
from pathlib import Path

from .catalogue import CatalogueItem

AUDIO_SUFFIXES = {".mp3", ".flac", ".ogg", ".opus", ".m4a", ".wav", ".aac", ".wma"}
_CALM_WORDS = {"ambient", "classical", "piano", "acoustic", "lofi", "lo-fi", "jazz", "chill", "sleep",
               "folk", "new age", "calm", "lullaby", "meditation", "ballad", "발라드", "잔잔"}
_MAX_FILES = 2000  # a big library is sampled, not walked whole, on every suggestion


def library_items(folder: Path) -> tuple[CatalogueItem, ...]:
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        return ()
    stamp = folder.stat().st_mtime
    return _scan(str(folder), stamp)


@functools.lru_cache(maxsize=4)
def _scan(folder: str, _stamp: float) -> tuple[CatalogueItem, ...]:
    items: list[CatalogueItem] = []
    for path in sorted(Path(folder).rglob("*")):
        if path.suffix.lower() not in AUDIO_SUFFIXES or not path.is_file():
            continue
        title, artist, genre, bpm = _tags(path)
        arm = "music_calm" if _is_calm(genre, title, bpm) else "music_upbeat"
        label = f"{artist} — {title}" if artist else title
        items.append(CatalogueItem(f"file:{path}", arm, label, (f"Play it: {path}",), label,
                                   (f"틀어 봐: {path}",)))
        if len(items) >= _MAX_FILES:
            break
    return tuple(items)


def _tags(path: Path) -> tuple[str, str, str, float | None]:
    """(title, artist, genre, bpm); falls back to the file name when tags are missing or unreadable."""
    fallback = path.stem.replace("_", " ").strip()
    try:
        import mutagen
    except ImportError:
        return fallback, "", "", None
    try:
        audio = mutagen.File(path, easy=True)
    except (mutagen.MutagenError, OSError, ValueError):  # a damaged file must not break the suggestion
        return fallback, "", "", None
    if audio is None or not audio.tags:
        return fallback, "", "", None

    def first(key: str) -> str:
        values = audio.tags.get(key) or [""]
        return str(values[0]).strip()

    bpm_text = first("bpm")
    try:
        bpm = float(bpm_text) if bpm_text else None
    except ValueError:
        bpm = None
    return first("title") or fallback, first("artist"), first("genre"), bpm


def _is_calm(genre: str, title: str, bpm: float | None) -> bool:
    if bpm is not None:
        return bpm < 100
    text = f"{genre} {title}".lower()
    return any(word in text for word in _CALM_WORDS)
