"""What the model reads to extract facts: short rules, then worked examples as earlier exchanges.

A 1.5B model follows examples far better than descriptions, and it copies what it is shown: the
previous prompt named "sister's name" and "taste: coffee" as examples of topics, and those came back
as facts from turns that never mentioned a sister or coffee. So the examples here are whole
exchanges about people, places and things chosen to be unlike what a person usually tells a
companion (a cousin Oskar in Lisbon, jazz, pottery), with no generic topic a copy could reuse for
another value (an example "취미: 도예" came back as "취미: 커피" from a turn where a friend said coffee
helps), dated on a day that is not today, and each
answer keeps only what grounding would keep from its own message. A copied example item then names
words the real message does not have, and ``memory.grounding`` drops it (the tests check both: every
example item survives grounding against its own message, none against another).

The examples sit before the person's message as fixed messages, so the whole prefix is the same on
every call and on every day: llama.cpp keeps it evaluated (``stable_prefix``) and each extraction
reads only the person's message. Today's date comes with the message itself.
"""
from __future__ import annotations

import json
from datetime import date

from ..dialogue.chat_model import ChatMessage

RULES = (
    "You read one message a person wrote to their companion and answer with JSON only: what to remember "
    "about them.\n"
    "facts: lasting facts the person states about themselves and their life: the people and pets in it "
    "(topic: who they are to the person, value: the name), where they live, work or study, what they like "
    "or dislike (topic: \"taste: \" and the thing, value: likes or dislikes), what they do, their goals. "
    "topic is a short key, value is the person's own words, both in the message's language.\n"
    "open: what to ask about later: an upcoming event (date as YYYY-MM-DD when the message names the day), "
    "a worry, a promise.\n"
    "Only what this message says, in its words; what someone else says is not a fact about the person. "
    "Nothing from earlier messages. A greeting, thanks or a question for you has nothing: "
    "{\"facts\": [], \"open\": []}."
)

EXAMPLE_DAY = date(2025, 3, 10)  # a Monday, never a real today: its dates cannot be copied into a real answer


def _answer(facts: list[dict], open_: list[dict]) -> str:
    return json.dumps({"facts": facts, "open": open_}, ensure_ascii=False)


# (message, answer) pairs, on EXAMPLE_DAY.
EXAMPLES: tuple[tuple[str, str], ...] = (
    ("My cousin Oskar is getting married in Lisbon on Saturday and I'm nervous about my speech.",
     _answer([{"topic": "cousin's name", "value": "Oskar", "category": "person", "importance": 0.6}],
             [{"type": "event", "text": "Oskar's wedding in Lisbon", "date": "2025-03-15"},
              {"type": "worry", "text": "nervous about the wedding speech"}])),
    ("I can't stand jazz. My roommate says yoga helps with stress.",
     _answer([{"topic": "taste: jazz", "value": "dislikes", "category": "preference", "importance": 0.5}], [])),
    ("나 도예 진짜 좋아해. 내일 첫 전시라 떨려.",
     _answer([{"topic": "taste: 도예", "value": "좋아함", "category": "preference", "importance": 0.5}],
             [{"type": "event", "text": "내일 첫 전시", "date": "2025-03-11"},
              {"type": "worry", "text": "첫 전시라 떨림"}])),
    ("뭐 먹을까? 추천해 줘.", _answer([], [])),
)


def _said(text: str, today: date) -> str:
    return f"Today is {today.isoformat()} ({today.strftime('%A')}).\nMessage: {text}"


def extraction_messages(text: str, today: date) -> list[ChatMessage]:
    """The rules, the examples as earlier exchanges (the stable prefix), then the person's message."""
    messages = [ChatMessage("system", RULES)]
    for example, answer in EXAMPLES:
        messages += [ChatMessage("user", _said(example, EXAMPLE_DAY)), ChatMessage("assistant", answer)]
    return [*messages, ChatMessage("user", _said(text[:2000], today))]


STABLE_PREFIX = 1 + 2 * len(EXAMPLES)
