"""The page's text exists in both languages, for every key the page uses."""
from __future__ import annotations

import re

from kindred.server.app import STATIC_DIR


def _keys(block: str) -> set[str]:
    return set(re.findall(r"^\s{4}(\w+):", block, flags=re.MULTILINE))


def test_english_and_korean_have_the_same_keys_and_cover_the_page():
    source = (STATIC_DIR / "i18n.js").read_text(encoding="utf-8")
    english = _keys(source.split("  en: {", 1)[1].split("\n  },", 1)[0])
    korean = _keys(source.split("  ko: {", 1)[1].split("\n  },", 1)[0])
    assert english == korean and len(english) > 30
    used = set(re.findall(r'data-i18n(?:-label)?="(\w+)"', (STATIC_DIR / "index.html").read_text(encoding="utf-8")))
    script = (STATIC_DIR / "app.js").read_text(encoding="utf-8")
    used |= set(re.findall(r'(?:page\.t\.|setStatus\(")(\w+)', script))
    assert used and used <= english, used - english


def test_the_orb_is_hidden_from_assistive_technology_and_replies_are_announced():
    html = (STATIC_DIR / "index.html").read_text(encoding="utf-8")
    assert re.search(r'id="orb"[^>]*aria-hidden="true"', html)
    assert re.search(r'id="announcer"[^>]*aria-live="polite"', html)
