"""Errors that tell the user what went wrong and how to fix it.

Every error carries a stable ``code`` (for logs, tests and the web UI), a
human ``message`` and a ``hint`` with the fix.
"""
from __future__ import annotations


class KindredError(Exception):
    code = "kindred-error"
    exit_code = 1

    def __init__(self, message: str, hint: str = "", *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        if code:
            self.code = code

    def __str__(self) -> str:
        text = f"[{self.code}] {self.message}"
        return f"{text}\n  how to fix: {self.hint}" if self.hint else text


class ConfigError(KindredError):
    code = "config-invalid"
    exit_code = 2


class InputError(KindredError):
    """The user's input cannot be used as it is (empty, too long, not text)."""

    code = "input-invalid"
    exit_code = 2


class ModelMissingError(KindredError):
    """A model file or the package that ships it is not installed."""

    code = "model-missing"
    exit_code = 3


class ModelCorruptError(KindredError):
    code = "model-corrupt"
    exit_code = 3


class MissingExtraError(KindredError):
    """An optional backend needs a pip extra that is not installed."""

    code = "extra-missing"
    exit_code = 3

    def __init__(self, extra: str, module: str, purpose: str) -> None:
        super().__init__(
            f"{purpose} needs the Python package '{module}', which is not installed.",
            f"pip install 'kindred[{extra}]'",
            code="extra-missing",
        )
        self.extra = extra


class BackendUnavailableError(KindredError):
    """A backend (LLM server, database) cannot be reached or died."""

    code = "backend-unavailable"
    exit_code = 4


class PromptTooLongError(KindredError):
    """The prompt does not fit the model's context window (the budget keeps replies' prompts inside it;
    a window smaller than the persona and examples cannot be helped)."""

    code = "prompt-too-long"
    exit_code = 4


class StoreError(KindredError):
    code = "store-error"
    exit_code = 5


class StoredStateError(StoreError):
    """A stored row this version cannot read (damaged JSON, missing keys, wrong types, a newer layout).

    Whoever reads it sets it aside and starts that state afresh: one bad row must not stop a person talking."""

    code = "stored-state-invalid"


class ConflictError(StoreError):
    """A write broke a uniqueness or reference rule (a name taken, a row already there)."""

    code = "store-conflict"


class ProfileOwnedError(KindredError):
    """The terminal asked for a profile that a web account owns and its owner has not linked."""

    code = "profile-owned"
    exit_code = 2
