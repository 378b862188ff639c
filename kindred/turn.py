"""One conversation turn: perceive → feel → recall → safety → choose → respond → remember.

``Companion.turn`` is an async generator of events. The user's words are stored
before anything is generated, so a crash mid-reply loses nothing they said. A
stage that fails ends the turn with a coded ``Failed(stage, code)`` event; the
turn raises only when it is cancelled.
"""
from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncGenerator
from dataclasses import dataclass, field, replace

from .affect.context import TurnContext, load_turn_context
from .affect.empathy import EmpathyEngine
from .affect.fusion import VoiceReading, fuse
from .affect.reading import EmotionReader, EmotionReading
from .config import Settings
from .dialogue.chat_model import ChatModel, GenerationOptions
from .dialogue.marker_filter import MarkerFilter
from .dialogue.opening import AFTER_OPENING, reply_opening
from .dialogue.persona import load_persona
from .dialogue.prompt import NOTES_KEY, PromptContext, build_messages, history_rows, prefix_length, turn_notes
from .dialogue.prompt_budget import budget_for
from .dialogue.reply_guard import ReplyGuard
from .dialogue.reply_plan import learn_preferences, plan_reply, reply_rules
from .errors import KindredError
from .events import (
    Chose,
    Event,
    Failed,
    Felt,
    Heard,
    Recalled,
    RecalledMemory,
    Replied,
    RunEnded,
    RunStarted,
    SafetyChecked,
    Suggested,
    Token,
)
from .localtime import clock_of
from .memory.continuity import started_now
from .memory.long_term import LongTermMemory
from .memory.recall import LastSessionRecaller, Recaller
from .memory.store import Store
from .perception.language import detect_language
from .recommend import schedule_from_memory
from .safety.crisis import assess, gentle_check_guidance
from .safety.crisis_reply import crisis_reply
from .safety.honesty import ai_disclosure, check_wellbeing, human_answer, only_asks_if_human
from .safety.input_limits import clean_user_text
from .turn_feelings import describe_feeling, fused_feeling

log = logging.getLogger("kindred.turn")


@dataclass
class Companion:
    settings: Settings
    chat: ChatModel
    store: Store
    emotion: EmotionReader | None = None
    recaller: Recaller | None = None
    memory: LongTermMemory | None = None  # long-term memory: recall, remember, follow up, forget
    persona: str = ""
    empathy: EmpathyEngine = field(default_factory=EmpathyEngine)
    # Nothing a conversation carries between turns is kept here: each turn loads its own TurnContext.
    _answered: set[str] = field(default_factory=set)  # turns whose assistant row is stored

    def __post_init__(self) -> None:
        self.persona = self.persona or load_persona(self.settings.persona_path)
        if self.recaller is None:
            self.recaller = self.memory.recaller if self.memory else LastSessionRecaller(self.store)

    async def turn(self, raw_text: str | bytes, *, user: str | None = None, new_session: bool = False,
                   source: str = "text", face: object | None = None, voice: VoiceReading | None = None,
                   turn_id: str | None = None) -> AsyncGenerator[Event, None]:
        """One turn. ``face``: a FaceReading from a camera frame; ``voice``: arousal heard in the voice;
        ``turn_id``: the id its events carry (a new one by default).

        However the turn ends — a reply, an error, Ctrl-C, a closed socket — the stored user words
        get an assistant row: the reply, what was said so far marked interrupted, or a failed one.
        """
        progress = _Progress(turn_id or uuid.uuid4().hex)
        body = self._turn(raw_text, user=user, new_session=new_session, source=source, face=face, voice=voice,
                          progress=progress)
        heard: Heard | None = None
        if self.memory is not None:
            self.memory.turn_started()  # memory work in the background gives the model back now
        try:
            async for event in body:
                if isinstance(event, Heard):
                    heard = event
                yield event
        except Exception as exc:  # noqa: BLE001 - every stage's failure is said as an event, never raised
            await body.aclose()
            failed = _failed(progress, exc)
            if heard is not None and heard.turn_id not in self._answered:
                try:
                    await self._store_reply(heard.user, heard.session_id, heard.turn_id, text="",
                                            language=heard.language, status="failed",
                                            meta={"stage": failed.stage, "code": failed.code})
                except KindredError as lost:
                    log.warning("[%s] could not mark the failed turn: %s", lost.code, lost.message)
            yield failed
        except BaseException:
            await body.aclose()  # an unfinished reply stores what it had first
            if heard is not None and heard.turn_id not in self._answered:
                await self._store_reply(heard.user, heard.session_id, heard.turn_id, text="",
                                        language=heard.language, status="interrupted")
            raise
        finally:
            if self.memory is not None:
                self.memory.turn_ended()
            await body.aclose()
            if heard is not None:
                self._answered.discard(heard.turn_id)
                await self._keep_feelings(progress.context)  # type: ignore[arg-type]  # loaded before Heard

    async def _turn(self, raw_text: str | bytes, *, user: str | None, new_session: bool, source: str,
                    face: object | None, voice: VoiceReading | None,
                    progress: _Progress) -> AsyncGenerator[Event, None]:
        user = user or self.settings.user
        turn_id = progress.turn_id
        clean = clean_user_text(raw_text, self.settings.max_input_chars)  # raises InputError: nothing stored
        language = detect_language(clean.text)
        session = await self.store.session_for(user, gap_minutes=self.settings.session_gap_minutes,
                                               new=new_session)
        stored = await self.store.count_turns(user, session_id=session.id)
        history = await self.store.recent_turns(user, session_id=session.id,
                                                limit=history_rows(stored, self.settings.history_turns))
        # Another replica, or another socket of this one, may have served this conversation's last turn.
        context = progress.context = await load_turn_context(self.store, user, session.id)
        await self.store.add_turn(user=user, session_id=session.id, turn_id=turn_id, role="user",
                                  text=clean.text, language=language)
        yield Heard(turn_id, user, session.id, clean.text, language, source, clean.truncated)
        if self.memory is not None and (answer := await self.memory.handle_request(user, clean.text)):
            # "Forget that" / "그거 잊어줘": done by the memory domain itself, confirmed without the LLM.
            yield await self._fixed_reply(turn_id, user, session.id, language, answer, "memory", "memory")
            return

        reading, felt = None, None
        progress.stage = "feel"
        if self.emotion is not None:
            # CPU-bound stages run on a worker thread (here and below): the loop keeps serving other people.
            reading, felt = await asyncio.to_thread(self._feel, turn_id, context, clean.prompt_text)
        # The one reading of the person this turn: the words with the voice and face the turn was given.
        # Felt carries it and the strategy (and so the tone the voice speaks in) is chosen from it.
        fused = fuse(text=reading, face=face, voice=voice)  # type: ignore[arg-type]  # face: a FaceReading
        if felt is not None:
            felt = replace(felt, fused=fused_feeling(fused))
            await self.store.add_affect(user=user, turn_id=turn_id, valence=felt.valence, arousal=felt.arousal,
                                        labels=felt.labels[:5])
            yield felt

        progress.stage = "recall"
        opening = None
        just_started = started_now(session.started_at, session.last_active_at)
        if self.memory is not None and just_started:
            opening = await self.memory.opening(user, session.id)  # what was left open last time
        memories = await self.recaller.recall(user, session.id, clean.prompt_text)  # type: ignore[union-attr]
        memories = _numbered((*(opening.memories if opening else ()), *memories))
        yield Recalled(turn_id, memories)

        progress.stage = "safety"
        risk = await asyncio.to_thread(assess, clean.text)
        yield SafetyChecked(turn_id, risk.risk, risk.category, risk.reasons,
                            "crisis_reply" if risk.needs_crisis_reply else "continue")
        if risk.needs_crisis_reply:
            await self.store.add_safety_event(user=user, turn_id=turn_id, risk=risk.risk,
                                              category=risk.category, reasons=risk.reasons)
            text = crisis_reply(risk, language, self.settings.locale)
            yield await self._fixed_reply(turn_id, user, session.id, language, text, "crisis-protocol", "crisis")
            return
        wellbeing = check_wellbeing(clean.text, language)
        if wellbeing.fixed_reply:
            yield await self._fixed_reply(turn_id, user, session.id, language, wellbeing.fixed_reply,
                                          "wellbeing-policy", "policy")
            return

        progress.stage = "choose"
        prefs = await asyncio.to_thread(learn_preferences, self.store, user, turn_id, clean.text)  # strategy, wording
        empathy = self.empathy.respond_to(
            context=context, text=clean.prompt_text, language=language, fused=fused,
            memories=[m.text for m in memories],
            advice_vs_listening=prefs.advice_vs_listening, message_number=(stored + 1) // 2 + 1,  # rows: hers too
            her_last_reply=next((t.text for t in reversed(history) if t.role == "assistant"), ""))
        plan = empathy.plan
        yield Chose(turn_id, plan.strategies, plan.tone, plan.why, plan.noticed, empathy.presence.mood)

        shape = await asyncio.to_thread(
            plan_reply, self.store, self.settings, user=user, turn_id=turn_id, text=clean.text, language=language,
            felt=felt, prefs=prefs,
            care=(*(opening.guidance if opening else ()), *wellbeing.guidance, *empathy.guidance,
                  *filter(None, [gentle_check_guidance(risk, language)])),
            plan_suggests="providing_suggestions" in plan.strategies, grieving=plan.situation == "grief",
            earlier_texts=tuple(t.text for t in history if t.role == "user"))
        if shape.suggestion is not None:
            s = shape.suggestion
            yield Suggested(turn_id, s.id, s.title, s.kind, s.why, tuple(s.steps))
        prompt = PromptContext(
            persona=self.persona, user_text=clean.prompt_text, language=language, register_ko=shape.register_ko,
            history=history, memories=memories, feeling=describe_feeling(felt), guidance=shape.guidance,
            notes_as_system=getattr(self.chat, "accepts_late_system", False),
        )
        messages = build_messages(prompt, budget_for(self.chat, self.settings.context_tokens, shape.max_tokens))
        rules = reply_rules(shape, text=clean.text, language=language, history=history, first_exchange=stored == 0,
                            strategies=plan.strategies)
        # The feeling Kindred's own readers found is named first (dialogue/opening.py), and the model goes on
        # from it, or, with a fitting question after it, that is the whole reply.
        start = reply_opening(language=language, situation=plan.situation, strategies=plan.strategies,
                              valence=felt.valence, register_ko=shape.register_ko, turn_id=turn_id, text=clean.text,
                              earlier_replies=rules.earlier_replies) \
            if felt is not None and getattr(self.chat, "continues_opening", False) else ""
        if start and rules.max_sentences <= 3:
            # The model is weakest in its later sentences: after the named feeling, one of its own.
            said = len(start) if language == "ko" else len(start.split())
            rules = replace(rules, max_sentences=2, length_cap=said + AFTER_OPENING.get(language, 20))
        options = GenerationOptions(max_tokens=shape.max_tokens, temperature=self.settings.temperature, guard=rules,
                                    stable_prefix=prefix_length(prompt), opening=start)
        # Honesty by policy, not left to the LLM: asked whether she is human, she says first that she is not;
        # the first reply of every conversation ends by saying she is an AI.
        before = human_answer(language, shape.register_ko) if "asks_if_human" in wellbeing.cues else ""
        if before and only_asks_if_human(clean.text):
            yield await self._fixed_reply(turn_id, user, session.id, language, before, "honesty-policy", "policy")
            return
        after = ai_disclosure(language, shape.register_ko) if stored == 0 and not before else ""
        responder = self._respond(turn_id, user, session.id, language, messages, options,
                                  notes=turn_notes(prompt), before=before, after=after)
        reply = ""
        progress.stage = "respond"
        try:
            async for event in responder:
                if isinstance(event, Replied):
                    reply = event.text
                yield event
        finally:
            await responder.aclose()  # a consumer that stops early still gets the reply stored
        progress.stage = "remember"
        await self._remember(user, session.id, turn_id, clean.text, reply, language, shape.register_ko, felt,
                             session_started=just_started)

    async def _remember(self, user: str, session_id: str, turn_id: str, text: str, reply: str, language: str,
                        register_ko: str, felt: Felt | None, *, session_started: bool) -> None:
        """After the reply is out: check-ins to plan, and the turn, its facts, feelings and open threads to keep
        (``LongTermMemory.remember_turn``, the same call `kindred bench memory` ingests LoCoMo with)."""
        await asyncio.to_thread(schedule_from_memory, self.store, user, text, clock_of(self.store),
                                language=language, register_ko=register_ko, default_zone=self.settings.timezone)
        if self.memory is not None:
            affect = {"valence": felt.valence, "arousal": felt.arousal, "labels": list(felt.labels)} if felt else None
            await self.memory.remember_turn(user=user, session_id=session_id, turn_id=turn_id, user_text=text,
                                            reply_text=reply, language=language, affect=affect,
                                            session_started=session_started)

    async def _store_reply(self, user: str, session_id: str, turn_id: str, *, text: str, language: str,
                           status: str = "ok", meta: dict | None = None) -> None:
        self._answered.add(turn_id)
        await self.store.add_turn(user=user, session_id=session_id, turn_id=turn_id, role="assistant",
                                  text=text, language=language, status=status, meta=meta)

    async def _fixed_reply(self, turn_id: str, user: str, session_id: str, language: str, text: str,
                           source: str, finish: str) -> Replied:
        """A reply that safety policy gives whole, never generated: the LLM cannot talk its way around it."""
        await self._store_reply(user, session_id, turn_id, text=text, language=language,
                                status="crisis" if finish == "crisis" else "ok")
        return Replied(turn_id, text, language, "safety", source, 0.0, 0, None, finish)

    async def _respond(self, turn_id, user, session_id, language, messages, options, notes: str = "",
                       before: str = "", after: str = "") -> AsyncGenerator[Event, None]:
        """The LLM's reply, streamed; ``before`` and ``after`` are policy sentences said around it."""
        pieces: list[str] = []
        # Every backend stops once the reply has said enough; llama.cpp's guard already ends it there.
        budget = ReplyGuard(options.guard) if options.guard is not None else None
        # An opening that is already a whole reply (her answer to "뭐해?" with the question put back) is
        # said without the model: anything it added would be a second question or a day she did not have.
        # Like a safety reply it comes whole, in Replied alone (no tokens), which every consumer shows once.
        whole = budget is not None and bool(options.opening) and budget.at(options.opening).finished()
        if before:
            pieces.append(f"{before} ")
            if not whole:
                yield Token(turn_id, f"{before} ", policy=True)
        generated_from = len(pieces)
        if options.opening:  # chosen words the model continues (dialogue/opening.py): part of the reply
            pieces.append(options.opening)
            if not whole:
                yield Token(turn_id, options.opening, policy=True)
        started = time.perf_counter()
        first: float | None = None
        tokens = 0
        markers = MarkerFilter()
        try:
            stream = self.chat.stream(messages, options) if not whole else _nothing()
            try:
                async for piece in stream:
                    if first is None:
                        first = time.perf_counter() - started
                    tokens += 1
                    if shown := markers.feed(piece):
                        pieces.append(shown)
                        yield Token(turn_id, shown)
                    if budget is not None and budget.at("".join(pieces[generated_from:])).finished():
                        break
                if rest := markers.flush():
                    pieces.append(rest)
                    yield Token(turn_id, rest)
                if after and "".join(pieces[generated_from:]).strip():
                    said = f"{'' if pieces[-1].endswith(' ') else ' '}{after}"
                    pieces.append(said)
                    if not whole:
                        yield Token(turn_id, said, policy=True)
            finally:
                await stream.aclose()  # type: ignore[attr-defined]
        except KindredError as exc:
            await self._store_reply(user, session_id, turn_id, text="".join(pieces), language=language,
                                    status="failed", meta={"code": exc.code, "message": exc.message})
            yield Failed(turn_id, "respond", exc.code, exc.message, exc.hint)
            return
        except BaseException:
            # Cancelled (Ctrl-C, a closed WebSocket, barge-in): keep what was said, marked interrupted.
            await self._store_reply(user, session_id, turn_id, text="".join(pieces), language=language,
                                    status="interrupted")
            raise
        text = "".join(pieces).strip()
        elapsed = time.perf_counter() - started
        rate = (tokens - 1) / (elapsed - first) if first is not None and tokens > 1 and elapsed > first else None
        await self._store_reply(user, session_id, turn_id, text=text, language=language,
                                status="ok" if text else "failed", meta={NOTES_KEY: notes} if notes else None)
        yield Replied(turn_id, text, language, self.chat.backend, self.chat.model, first, tokens, rate,
                      "stop" if text else "empty")

    async def _keep_feelings(self, context: TurnContext) -> None:
        """Store what this turn changed, merged with any turn of the conversation that saved meanwhile."""
        try:
            await context.save(self.store)
        except KindredError as exc:  # the reply is already out: a lost mood update must not turn it into an error
            log.warning("[%s] could not store the conversation's feelings: %s", exc.code, exc.message)

    def _feel(self, turn_id: str, context: TurnContext, text: str) -> tuple[EmotionReading, Felt]:
        reading = self.emotion.read(text)  # type: ignore[union-attr]
        snapshot = context.feel(reading)
        return reading, Felt(turn_id, reading.labels[:5], reading.valence, reading.arousal, reading.confidence,
                             snapshot.valence, snapshot.arousal, snapshot.label, reading.model)


async def _nothing() -> AsyncGenerator[str, None]:
    """No pieces: the stream of a reply the model has no part in."""
    return
    yield  # pragma: no cover - makes this an async generator


async def run_turn(companion: Companion, raw_text: str | bytes, *, user: str | None = None,
                   **options) -> AsyncGenerator[Event, None]:
    """One run of a turn as every consumer sees it: ``RunStarted``, the turn's events, then ``RunEnded``.

    Cancelled, it raises like the turn does, and the consumer says ``Cancelled`` itself: an event
    yielded while the task is being cancelled would be taken as the cancellation handled.
    """
    turn_id = uuid.uuid4().hex
    started = time.perf_counter()
    yield RunStarted(turn_id, user or companion.settings.user, options.get("source", "text"))
    outcome = "replied"
    async for event in companion.turn(raw_text, user=user, turn_id=turn_id, **options):
        outcome = "failed" if isinstance(event, Failed) else outcome
        yield event
    yield RunEnded(turn_id, outcome, round(time.perf_counter() - started, 3))


@dataclass
class _Progress:
    """Where a turn is, so that a failure anywhere in it is said with its stage."""

    turn_id: str
    stage: str = "perceive"
    context: TurnContext | None = None  # loaded at the start of the turn, saved at its end


def _failed(progress: _Progress, exc: Exception) -> Failed:
    if isinstance(exc, KindredError):
        return Failed(progress.turn_id, progress.stage, exc.code, exc.message, exc.hint)
    log.error("the %s stage of turn %s failed", progress.stage, progress.turn_id, exc_info=exc)  # a bug: the trace
    return Failed(progress.turn_id, progress.stage, f"{progress.stage}-crashed",
                  f"Something went wrong in the {progress.stage} stage.", "Try again; the log has the details.")


def _numbered(memories) -> tuple[RecalledMemory, ...]:
    """Small ids in prompt order (1, 2, 3 …): what was left open last time first, then what was recalled."""
    return tuple(replace(m, id=i) for i, m in enumerate(memories, start=1))
