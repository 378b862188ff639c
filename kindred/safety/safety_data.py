"""Reading the labelled safety messages (training set and benchmark test set share one format).

One message a line, tab-separated: language, risk, category, kind, text.
Lines starting with '#' are comments. ``kind`` says what the message tests:
everyday, figurative, distress, third_person, ambiguous, indirect, explicit, adversarial.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from ..errors import KindredError
from .rules import RISK_LEVELS

CATEGORIES = ("none", "self_harm", "harm_to_others", "abuse", "medical")


class SafetyDataError(KindredError):
    code = "safety-data-invalid"


@dataclass(frozen=True)
class LabelledMessage:
    language: str
    risk: str
    category: str
    kind: str
    text: str

    def with_text(self, text: str) -> LabelledMessage:
        return dataclasses.replace(self, text=text)


def load_messages(path: Path) -> list[LabelledMessage]:
    messages = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 5 or fields[1] not in RISK_LEVELS or fields[2] not in CATEGORIES:
            raise SafetyDataError(f"{path.name} line {number} is not 'language, risk, category, kind, text'.",
                                  f"Fix the line; risks are {', '.join(RISK_LEVELS)}, "
                                  f"categories {', '.join(CATEGORIES)}.")
        messages.append(LabelledMessage(*fields))
    return messages
