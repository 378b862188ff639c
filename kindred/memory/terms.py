"""Keyword terms for the full-text index, the same for stored text and for queries.

SQLite's FTS5 ranks by BM25, but its tokenizers split Korean only at spaces, where
particles stick to nouns ("면접을", "면접이"), and its trigram tokenizer cannot match
the many two-syllable Korean nouns. So terms are made here: English words lightly
stemmed; Korean words without their particle, plus syllable bigrams, which match
inside compounds. The index then stores these terms separated by spaces.
"""
from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[\uac00-\ud7a3]+|[^\W\d_]+", re.IGNORECASE)
_HANGUL = re.compile(r"^[\uac00-\ud7a3]+$")

STOPWORDS = frozenset([
    "a", "an", "the", "and", "or", "but", "if", "then", "so", "of", "to", "in", "on", "at", "by", "for", "with",
    "from", "about", "as", "into", "over", "after", "before", "is", "am", "are", "was", "were", "be", "been",
    "being", "do", "does", "did", "done", "have", "has", "had", "having", "i", "me", "my", "mine", "myself",
    "you", "your", "yours", "we", "our", "us", "he", "him", "his", "she", "her", "hers", "it", "its", "they",
    "them", "their", "this", "that", "these", "those", "what", "which", "who", "whom", "whose", "when", "where",
    "why", "how", "all", "any", "both", "each", "few", "more", "most", "other", "some", "such", "no", "nor",
    "not", "only", "own", "same", "than", "too", "very", "can", "will", "just", "should", "would", "could",
    "might", "must", "shall", "may", "there", "here", "up", "down", "out", "off", "again", "further", "once",
    "also", "get", "got", "really", "like", "just", "yeah", "oh", "ok", "okay", "well", "im", "ive", "id",
    "youre", "thats", "dont",
])

# Longest first, so "에서" is stripped before "에".
_PARTICLES = sorted([
    "은", "는", "이", "가", "을", "를", "에", "에서", "에게", "께", "의", "도", "와", "과", "랑", "이랑", "한테", "로",
    "으로", "까지", "부터", "만", "야", "아", "이야", "이나", "나", "보다", "처럼", "같이", "하고", "께서", "요",
], key=len, reverse=True)


def stem(word: str) -> str:
    word = word.lower().replace("'s", "").replace("'", "")
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            return word[: -len(suffix)] + keep
    return word


def _korean(word: str) -> list[str]:
    base = word
    for particle in _PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 1:
            base = word[: -len(particle)]
            break
    found = [base]
    found += [base[i:i + 2] for i in range(len(base) - 1)] if len(base) > 2 else []
    return found


def terms(text: str) -> list[str]:
    """Index terms in order of appearance (with repeats: BM25 counts them)."""
    found: list[str] = []
    for match in _WORD.finditer(text):
        word = match.group(0)
        if _HANGUL.match(word):
            found += _korean(word)
        else:
            lowered = word.lower()
            if lowered in STOPWORDS or len(lowered) < 2:
                continue
            found.append(stem(lowered))
    return found


def index_text(text: str) -> str:
    return " ".join(terms(text))


def match_query(text: str, limit: int = 24) -> str:
    """An FTS5 MATCH expression: any of the query's distinct terms (quoted, so nothing is an operator)."""
    distinct = list(dict.fromkeys(t for t in terms(text) if t))[:limit]
    return " OR ".join(f'"{t}"' for t in distinct)
