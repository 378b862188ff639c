"""Memory requests said in conversation: "forget that", "그거 잊어줘", "what do you remember about me?"."""
from __future__ import annotations

import re

from ..perception.language import detect_language
from .book import MemoryBook

# The whole message must be the request: "I can't forget that day" is not one.
FORGET_THAT = re.compile(
    r"^\W*(?:(?:please|ok|okay|actually|hey),?\s+)*(?:can you\s+|could you\s+)?"
    r"(?:forget|delete|erase|don'?t remember)\s+(?:that|this|it|what i (?:just )?(?:said|told you))"
    r"(?:,?\s+please)?\W*$|"
    r"^\W*(?:그거|그건|그 얘기|그 말|이거|그것|방금\s?(?:한\s|말한\s|얘기한\s)?(?:말|얘기|거))\s*(?:좀\s*)?"
    r"(?:잊어|지워|기억하지\s?마)\S*(?:\s*(?:줘|줄래|줘요|주세요|줄래요))?\W*$",
    re.IGNORECASE)
WHAT_DO_YOU_REMEMBER = re.compile(
    r"\bwhat do you (know|remember) about me\b|나에 대해 (뭘|무엇을|뭐) (기억|알)", re.IGNORECASE)

REPLIES = {
    "forgot": {"en": "Okay. I've forgotten that, for real.", "ko": "알겠어. 그건 정말로 잊었어."},
    "nothing": {"en": "There's nothing from before that for me to forget.", "ko": "잊을 만한 게 없어."},
    "none_known": {"en": "I don't have anything saved about you yet.", "ko": "아직 너에 대해 저장된 건 없어."},
    "known": {"en": "Here's what I remember about you:", "ko": "내가 기억하는 건 이거야:"},
}


def _language(text: str) -> str:
    """The reply's language, as the turn loop detects it: Korean, else English (the replies' two)."""
    return "ko" if detect_language(text) == "ko" else "en"


async def handle_memory_request(store, user: str, text: str, *, book: MemoryBook | None = None) -> str | None:
    """A reply when ``text`` is a memory request (handled here, no LLM), else None.

    Call it after the turn loop has stored the request itself: "that" means the user's turn before it.
    Forgetting removes that turn (both sides), its affect reading and every memory made from it,
    with their vectors and keyword entries.
    """
    language = _language(text)
    book = book or MemoryBook(store)
    if FORGET_THAT.search(text.strip()):
        earlier = [t for t in await store.recent_turns(user, limit=12) if t.role == "user"]
        if earlier and earlier[-1].text.strip() == text.strip():
            earlier = earlier[:-1]  # the request itself
        if not earlier:
            return REPLIES["nothing"][language]
        await book.forget_turn(user, earlier[-1].turn_id)
        return REPLIES["forgot"][language]
    if WHAT_DO_YOU_REMEMBER.search(text):
        facts = await book.list(user, kind="fact", limit=8)
        if not facts:
            return REPLIES["none_known"][language]
        return "\n".join([REPLIES["known"][language], *(f"- {m.text}" for m in facts)])
    return None
