"""llama.cpp in-process: the embedded default and any local GGUF file."""
from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import (
    BackendUnavailableError,
    KindredError,
    MissingExtraError,
    ModelCorruptError,
    ModelMissingError,
    PromptTooLongError,
)
from .chat_model import ChatMessage, GenerationOptions
from .llama_guard import GuardedSampling, vocab_index
from .llama_prefix import SLOTS, PrefixSnapshots, prompt_kind
from .prefix_cache import SavedPrefixes, model_fingerprint

_DONE = object()
LOCK_POLL_S = 0.05  # how often a turn waiting for the model checks whether it was cancelled
EVAL_CHUNK_TOKENS = 128  # a cancelled turn stops within one chunk of its prompt (a fraction of a second)
# Background work (memory extraction) is pre-empted by every turn: with 128-token pieces the person's next
# message waited up to 1.6 s for the piece under way (`kindred bench replies`, 2026-12-04: first token 3-4 s
# on the turns that pre-empted extraction, 1.3-1.8 s on the others). Smaller pieces cost it a little speed.
BACKGROUND_CHUNK_TOKENS = 24


class _Cancelled(Exception):
    """Raised inside the generation thread to stop evaluating a prompt nobody waits for."""


def _import_llama():
    try:
        from llama_cpp import Llama
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise MissingExtraError("llm", "llama-cpp-python", "The embedded local LLM") from exc
    return Llama


class LlamaCppChat:
    backend = "llama.cpp"

    def __init__(self, model_path: Path, *, name: str | None = None, context_tokens: int = 4096,
                 threads: int = 0, seed: int | None = None, prefix_slots: int = SLOTS,
                 state_dir: Path | None = None) -> None:
        """``state_dir``: where evaluated stable prefixes are saved between processes (None: nowhere)."""
        model_path = Path(model_path)
        if not model_path.is_file():
            raise ModelMissingError(f"No model file at {model_path}.",
                                    "Check the path given to --model, or drop --model to use the embedded model.")
        with model_path.open("rb") as handle:
            if handle.read(4) != b"GGUF":
                raise ModelCorruptError(f"{model_path} is not a GGUF model file.",
                                        "Give --model a .gguf file (llama.cpp format).")
        Llama = _import_llama()
        try:
            self._llama = Llama(
                model_path=str(model_path), n_ctx=context_tokens, n_threads=threads or os.cpu_count(),
                verbose=False, seed=seed if seed is not None else 0xFFFFFFFF,
            )
        except (ValueError, RuntimeError) as exc:
            raise ModelCorruptError(
                f"llama.cpp could not load {model_path}: {exc}",
                "The file is damaged or not a supported model; reinstall or replace it.") from exc
        self.model = name or model_path.stem
        self.context_tokens = context_tokens  # the reply prompt's budget (prompt_budget) fits it
        self.path = model_path
        self._lock = threading.Lock()  # one generation at a time per loaded model
        self._may_run = threading.Event()  # cleared by paused(): generation waits between tokens
        self._may_run.set()
        # Templates that insist on strict role order raise when a system message comes later.
        template = (self._llama.metadata or {}).get("tokenizer.chat_template", "")
        self.accepts_late_system = bool(template) and "raise_exception" not in template
        self._prefix = PrefixSnapshots(self._llama, prefix_slots)  # 0: keep no copies (a benchmark's baseline)
        self._vocab = vocab_index(self._llama)  # ~0.4 s once, so the first guarded reply does not wait for it
        self._saved = SavedPrefixes(state_dir, model_fingerprint(model_path, context_tokens)) if state_dir else None
        self._prefix_tokens: dict[tuple[tuple[str, str], ...], np.ndarray] = {}

    @contextlib.contextmanager
    def paused(self):
        """Hold generation between tokens while a more urgent job on this machine runs.

        On a CPU with few cores the voice pipeline synthesizes the first phrase while the model
        writes on; both would share the cores and the first sound would wait for both.
        """
        self._may_run.clear()
        try:
            yield
        finally:
            self._may_run.set()

    def _ensure_prefix(self, prefix: Sequence[ChatMessage]) -> None:
        """Leave exactly the stable prefix evaluated at the start of the context: kept, loaded from its
        saved file, or read now and saved. Generation then reads only what follows it."""
        tokens = self._tokens_of_prefix(prefix)
        if tokens is None:
            return
        llama, count = self._llama, len(tokens)
        current = llama.input_ids[:llama.n_tokens]
        if len(current) >= count and np.array_equal(current[:count], tokens):
            return
        if self._saved is not None and self._saved.load(llama, tokens):
            return
        same = 0
        for a, b in zip(current, tokens):
            if a != b:
                break
            same += 1
        if same and llama._ctx.kv_cache_seq_rm(-1, same, -1):
            llama.n_tokens = same
        else:
            llama.reset()
            same = 0
        llama.eval(tokens[same:].tolist())
        if self._saved is not None:
            self._saved.save(llama)

    def _rendered(self, messages: Sequence[ChatMessage], *, generation_prompt: bool) -> tuple[str, bool] | None:
        """The messages through the model's own chat template: (prompt text, whether it holds BOS),
        or None for a model file without a template."""
        template = (self._llama.metadata or {}).get("tokenizer.chat_template", "")
        if not template:
            return None
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        model = self._llama._model
        eos, bos = self._llama.token_eos(), self._llama.token_bos()
        formatter = Jinja2ChatFormatter(template=template, add_generation_prompt=generation_prompt,
                                        eos_token=model.token_get_text(eos) if eos != -1 else "",
                                        bos_token=model.token_get_text(bos) if bos != -1 else "")
        # Any: llama_cpp types each role's message as its own TypedDict; these are plain role/content pairs.
        pairs: list[Any] = [{"role": m.role, "content": m.content} for m in messages]
        rendered = formatter(messages=pairs)
        return rendered.prompt, bool(rendered.added_special)

    def _tokens_of_prefix(self, prefix: Sequence[ChatMessage]) -> np.ndarray | None:
        key = tuple((m.role, m.content) for m in prefix)
        if key not in self._prefix_tokens:
            rendered = self._rendered(prefix, generation_prompt=False)
            if rendered is None:
                return None
            prompt, has_bos = rendered
            self._prefix_tokens[key] = np.array(self._llama.tokenize(
                prompt.encode("utf-8"), add_bos=not has_bos, special=True), dtype=np.intc)
        return self._prefix_tokens[key]

    @property
    def continues_opening(self) -> bool:
        """An opening (``GenerationOptions.opening``) can be continued: the file has a chat template."""
        return bool((self._llama.metadata or {}).get("tokenizer.chat_template", ""))

    @contextlib.contextmanager
    def _evaluating(self, cancelled: threading.Event, chunk: int = EVAL_CHUNK_TOKENS):
        """Evaluate prompts in chunks, stopping between them once ``cancelled`` is set.

        llama-cpp-python reads a whole prompt in one ``eval`` call before the first token, with no
        callback; a long prompt on a small CPU is seconds. Its ``eval`` in pieces is the same work
        (each piece goes on from ``n_tokens``), so the instance's own is wrapped while we generate.
        """
        whole, own = self._llama.eval, vars(self._llama).get("eval")  # own: one set on the instance (a test's)
        step = max(1, min(chunk, int(self._llama.n_batch)))

        def in_chunks(tokens: Sequence[int]) -> None:
            for start in range(0, len(tokens), step):
                if cancelled.is_set():
                    raise _Cancelled
                whole(tokens[start:start + step])

        self._llama.eval = in_chunks
        try:
            yield
        finally:
            if own is None:
                del self._llama.eval  # the class's own again
            else:
                self._llama.eval = own

    def count_tokens(self, text: str) -> int:
        return len(self._llama.tokenize(text.encode("utf-8"), add_bos=False, special=True))

    async def stream(self, messages: Sequence[ChatMessage], options: GenerationOptions) -> AsyncIterator[str]:
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[object] = asyncio.Queue()
        cancelled = threading.Event()
        kwargs: dict[str, object] = {
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "max_tokens": options.max_tokens, "temperature": options.temperature, "stream": True,
            "repeat_penalty": options.repeat_penalty, "top_p": options.top_p,
        }
        if options.stop:
            kwargs["stop"] = list(options.stop)
        if options.json_schema is not None:
            kwargs["response_format"] = {"type": "json_object", "schema": options.json_schema}
        if options.guard is not None:
            from llama_cpp import LogitsProcessorList

            kwargs["logits_processor"] = LogitsProcessorList([GuardedSampling(self._vocab, options.guard,
                                                                              said=options.opening)])
        rendered = self._rendered(messages, generation_prompt=True) if options.opening else None
        if rendered is not None:
            # The reply goes on from its opening: the template's prompt for the assistant's turn, then
            # the opening as the start of that turn (chat completion would close it as a finished message).
            del kwargs["messages"]
            kwargs["prompt"] = self._llama.tokenize((rendered[0] + options.opening).encode("utf-8"),
                                                    add_bos=not rendered[1], special=True)

        kind = prompt_kind(messages[0].content if messages and messages[0].role == "system" else "")

        def post(item: object) -> None:
            try:
                loop.call_soon_threadsafe(queue.put_nowait, item)
            except RuntimeError:  # the loop closed (the process is ending): nobody waits for the reply
                cancelled.set()

        def work() -> None:
            # A turn queued behind another person's reply may be cancelled (its socket closed) while it
            # waits: it gives up waiting then, rather than reading its whole prompt before it notices.
            while not self._lock.acquire(timeout=LOCK_POLL_S):
                if cancelled.is_set():
                    post(_DONE)
                    return
            try:
                piece_tokens = BACKGROUND_CHUNK_TOKENS if options.background else EVAL_CHUNK_TOKENS
                with self._evaluating(cancelled, piece_tokens):
                    self._prefix.before(kind)
                    if options.stable_prefix:
                        self._ensure_prefix(messages[:options.stable_prefix])
                    chunks = self._llama.create_completion(**kwargs) if "prompt" in kwargs else \
                        self._llama.create_chat_completion(**kwargs)
                    for chunk in chunks:
                        if cancelled.is_set():
                            break
                        choice = chunk["choices"][0]
                        piece = choice["text"] if "text" in choice else choice["delta"].get("content")
                        if piece:
                            post(piece)
                        while not self._may_run.wait(0.05) and not cancelled.is_set():
                            pass  # paused: the next token is computed only when the loop resumes
                    self._prefix.after(kind)
            except _Cancelled:
                pass  # stopped between evaluation chunks: what was evaluated stays valid for the next prompt
            except Exception as exc:  # surfaced to the awaiting coroutine below
                post(exc)
            finally:
                self._lock.release()
                post(_DONE)

        worker = threading.Thread(target=work, name="llama-generate", daemon=True)
        worker.start()
        try:
            while (item := await queue.get()) is not _DONE:
                if isinstance(item, Exception):
                    raise _failure(item, self.context_tokens) from item
                yield item  # type: ignore[misc]
        finally:
            cancelled.set()
            # Wait for the worker so the next turn can use the model; it stops at the next token.
            await asyncio.to_thread(worker.join)


def _failure(exc: Exception, window: int) -> KindredError:
    if isinstance(exc, ValueError) and "exceed context window" in str(exc):
        # Not the backend's fault, and "a smaller --context" would make it worse.
        return PromptTooLongError(f"The prompt does not fit the model's context window of {window} tokens: {exc}",
                                  "Send a shorter message or start a new conversation; a larger context_tokens "
                                  "(config.toml or KINDRED_CONTEXT_TOKENS) gives the model more room.")
    return BackendUnavailableError(f"llama.cpp failed while generating: {exc}",
                                   "Run `kindred doctor`; short of memory, a smaller context_tokens "
                                   "(KINDRED_CONTEXT_TOKENS) needs less.")
