"""One conversation turn: perceive → feel → recall → safety → respond → remember.

``Companion.turn`` is an async generator of events. The user's words are stored
before anything is generated, so a crash mid-reply loses nothing they said.
"""
from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

from .affect.reading import EmotionReader
from .config import Settings
from .dialogue.chat_model import ChatModel, GenerationOptions
from .dialogue.persona import load_persona
from .dialogue.prompt import PromptContext, build_messages
from .dialogue.reply_plan import plan_reply
from .errors import KindredError
from .events import Event, Failed, Felt, Heard, Recalled, Replied, SafetyChecked, Suggested, Token
from .memory.recall import LastSessionRecaller, Recaller
from .memory.store import Store
from .perception.language import detect_language
from .recommend import schedule_from_memory
from .safety.crisis import assess
from .safety.crisis_reply import crisis_reply
from .safety.honesty import check_wellbeing
from .safety.input_limits import clean_user_text


@dataclass
class Companion:
    settings: Settings
    chat: ChatModel
    store: Store
    emotion: EmotionReader | None = None
    recaller: Recaller | None = None
    persona: str = ""
    _affect: dict[str, object] = field(default_factory=dict)  # per-session affect state, see affect/state

    def __post_init__(self) -> None:
        self.persona = self.persona or load_persona(self.settings.persona_path)
        self.recaller = self.recaller or LastSessionRecaller(self.store)

    async def turn(self, raw_text: str | bytes, *, user: str | None = None, new_session: bool = False,
                   source: str = "text") -> AsyncIterator[Event]:
        user = user or self.settings.user
        turn_id = uuid.uuid4().hex
        clean = clean_user_text(raw_text, self.settings.max_input_chars)  # raises InputError: nothing stored
        language = detect_language(clean.text)
        session = await self.store.session_for(user, gap_minutes=self.settings.session_gap_minutes,
                                               new=new_session)
        history = await self.store.recent_turns(user, session_id=session.id,
                                                limit=self.settings.history_turns * 2)
        await self.store.add_turn(user=user, session_id=session.id, turn_id=turn_id, role="user",
                                  text=clean.text, language=language)
        yield Heard(turn_id, user, session.id, clean.text, language, source, clean.truncated)

        feeling = ""
        felt = None
        if self.emotion is not None:
            felt = self._feel(turn_id, session.id, clean.prompt_text)
            await self.store.add_affect(user=user, turn_id=turn_id, valence=felt.valence, arousal=felt.arousal,
                                        labels=felt.labels[:5])
            feeling = _describe_feeling(felt)
            yield felt

        memories = await self.recaller.recall(user, session.id, clean.prompt_text)  # type: ignore[union-attr]
        yield Recalled(turn_id, tuple(memories))

        risk = assess(clean.text)
        action = "crisis_reply" if risk.needs_crisis_reply else "continue"
        yield SafetyChecked(turn_id, risk.risk, risk.category, risk.reasons, action)
        if risk.needs_crisis_reply:
            await self.store.add_safety_event(user=user, turn_id=turn_id, risk=risk.risk,
                                              category=risk.category, reasons=risk.reasons)
            text = crisis_reply(risk, language, self.settings.locale)
            await self.store.add_turn(user=user, session_id=session.id, turn_id=turn_id, role="assistant",
                                      text=text, language=language, status="crisis")
            yield Replied(turn_id, text, language, "safety", "crisis-protocol", 0.0, 0, None, "crisis")
            return
        wellbeing = check_wellbeing(clean.text, language)
        if wellbeing.fixed_reply:
            await self.store.add_turn(user=user, session_id=session.id, turn_id=turn_id, role="assistant",
                                      text=wellbeing.fixed_reply, language=language, status="ok")
            yield Replied(turn_id, wellbeing.fixed_reply, language, "safety", "wellbeing-policy", 0.0, 0, None,
                          "policy")
            return

        plan = plan_reply(self.store, self.settings, user=user, turn_id=turn_id, text=clean.text,
                          language=language, felt=felt, care=wellbeing.guidance)
        if plan.suggestion is not None:
            s = plan.suggestion
            yield Suggested(turn_id, s.id, s.title, s.kind, s.why, tuple(s.steps))
        messages = build_messages(PromptContext(
            persona=self.persona, user_text=clean.prompt_text, language=language, register_ko=plan.register_ko,
            history=history, memories=memories, feeling=feeling, guidance=plan.guidance,
        ))
        options = GenerationOptions(max_tokens=plan.max_tokens, temperature=self.settings.temperature)
        responder = self._respond(turn_id, user, session.id, language, messages, options)
        try:
            async for event in responder:
                yield event
        finally:
            await responder.aclose()  # a consumer that stops early still gets the reply stored
        await self._remember(user, clean.text, language, plan.register_ko)

    async def _remember(self, user: str, text: str, language: str, register_ko: str) -> None:
        """After the reply: what to follow up on later ("interview on Friday" → a check-in on Saturday)."""
        schedule_from_memory(self.store, user, text, datetime.now(UTC), language=language,
                             register_ko=register_ko)

    async def _respond(self, turn_id, user, session_id, language, messages, options) -> AsyncIterator[Event]:
        pieces: list[str] = []
        started = time.perf_counter()
        first: float | None = None
        finish = "stop"
        try:
            stream = self.chat.stream(messages, options)
            try:
                async for piece in stream:
                    if first is None:
                        first = time.perf_counter() - started
                    pieces.append(piece)
                    yield Token(turn_id, piece)
            finally:
                await stream.aclose()  # type: ignore[attr-defined]
        except KindredError as exc:
            finish = "error"
            text = "".join(pieces)
            await self.store.add_turn(user=user, session_id=session_id, turn_id=turn_id, role="assistant",
                                      text=text, language=language, status="failed",
                                      meta={"code": exc.code, "message": exc.message})
            yield Failed(turn_id, "respond", exc.code, exc.message, exc.hint)
            return
        except BaseException:
            # Cancelled (Ctrl-C, a closed WebSocket, barge-in): keep what was said, marked interrupted.
            await self.store.add_turn(user=user, session_id=session_id, turn_id=turn_id, role="assistant",
                                      text="".join(pieces), language=language, status="interrupted")
            raise
        text = "".join(pieces).strip()
        elapsed = time.perf_counter() - started
        tokens = len(pieces)
        rate = (tokens - 1) / (elapsed - first) if first is not None and tokens > 1 and elapsed > first else None
        if not text:
            finish = "empty"
        await self.store.add_turn(user=user, session_id=session_id, turn_id=turn_id, role="assistant",
                                  text=text, language=language, status="ok" if text else "failed")
        yield Replied(turn_id, text, language, self.chat.backend, self.chat.model, first, tokens, rate, finish)

    def _feel(self, turn_id: str, session_id: str, text: str) -> Felt:
        from .affect.state import AffectState

        reading = self.emotion.read(text)  # type: ignore[union-attr]
        state = self._affect.setdefault(session_id, AffectState())
        snapshot = state.update(reading)  # type: ignore[attr-defined]
        return Felt(turn_id, reading.labels[:5], reading.valence, reading.arousal, reading.confidence,
                    snapshot.valence, snapshot.arousal, snapshot.label, reading.model)


def _describe_feeling(felt: Felt) -> str:
    if felt.confidence < 0.3:
        return ""
    top = ", ".join(label for label, p in felt.labels[:3] if p >= 0.2 and label != "neutral")
    mood = "low" if felt.state_valence < -0.2 else "bright" if felt.state_valence > 0.2 else "even"
    return f"{top or 'neutral'}; overall mood {mood}"
