"""The WebSocket of one conversation: the page says something, the turn's events stream back.

Client → server (JSON text frames unless noted):
  ``{"type": "say", "text": "...", "new_session": false, "speak": false}``; ``{"type": "cancel"}``;
  ``{"type": "audio_start", "speak": true}``, then binary frames of 16 kHz mono int16 PCM, then
  ``{"type": "audio_end"}`` (or ``audio_abort``); ``{"type": "frame", "jpeg": base64}`` and
  ``{"type": "camera_off"}``; ``{"type": "speak", "text": "..."}``; ``{"type": "repeat"}``.
Server → client: only the typed events of ``kindred.events``, each as ``events.serialize`` writes it
(``{"event": kind, ...fields}``): ``ready``; each turn's run (``start``, the turn's events, ``done`` or
``cancelled``); for voice ``transcript``, ``no-speech``, ``command``, ``audio`` (base64 WAV) and
``audio_done``; ``seen`` for the camera; ``checkin``; ``error`` (``Failed``, stage "server" for the socket's own).
A socket is bound to the user who opened it; it never carries anyone else's turns.
"""
from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Callable

from starlette.websockets import WebSocket, WebSocketDisconnect

from .. import bounded_json
from ..errors import InputError, KindredError
from ..events import Cancelled, Command, Event, Failed, Heard, NoSpeech, Ready, Replied, RunEnded, Transcript, serialize
from ..turn import run_turn
from .camera import LatestFace, decode_frame, seen_event
from .errors import ServerBusyError
from .personal import deliver_checkins
from .speech import MAX_SPOKEN_CHARS, MAX_UTTERANCE_BYTES, Speaker, hear
from .state import state_of, token_of
from .voice_commands import match_command

MAX_MESSAGE_CHARS = 4_000_000  # a camera frame as base64; say is limited by the turn's own input checks
MAX_SAY_CHARS = 200_000
UNAUTHORISED = 4401
AFTER_REPLY_WAIT_S = 10.0  # the longest a message sent just after a reply waits for that turn to finish
log = logging.getLogger("kindred.server")


async def conversation_socket(websocket: WebSocket) -> None:
    state = state_of(websocket)
    user = state.user_of(websocket)
    if user is None:
        await websocket.close(code=UNAUTHORISED, reason="auth-required")
        return
    await websocket.accept()
    await Conversation(websocket, state, user, token_of(websocket) if state.options.auth_required else None).serve()


class Conversation:
    def __init__(self, websocket: WebSocket, state, user: str, token: str | None = None) -> None:
        self.ws, self.state, self.user = websocket, state, user
        self.token = token  # what opened it: once revoked, the socket closes (``_watch_token``)
        self.revoked = False
        self.running: asyncio.Task | None = None
        self.replied = False  # the running turn's reply has been sent
        self.speaking: asyncio.Task | None = None
        self.seeing: asyncio.Task | None = None
        self.audio: bytearray | None = None
        self.audio_speak = True
        self.face = LatestFace()
        self.last_reply: tuple[str, str] = ("", "en")
        self.last_heard = ""
        self.lock = asyncio.Lock()

    async def serve(self) -> None:
        await self.send(Ready(user=self.user, voice=self.state.speech is not None,
                              camera=self.state.faces is not None))
        checkins = asyncio.create_task(self._checkin_loop())
        watch = asyncio.create_task(self._watch_token()) if self.token is not None else None
        try:
            while True:
                message = await self.ws.receive()
                if message["type"] == "websocket.disconnect" or self.revoked:
                    break
                if message.get("bytes") is not None:
                    await self._on_pcm(message["bytes"])
                    continue
                parsed = await self._parse(message.get("text") or "")
                if parsed is not None:
                    await self._dispatch_safely(parsed)
        except WebSocketDisconnect:
            pass
        finally:
            tasks = [t for t in (checkins, watch, self.running, self.speaking, self.seeing)
                     if t is not None and not t.done()]
            for task in tasks:
                task.cancel()  # a cancelled turn stores what was said so far, marked interrupted
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _dispatch_safely(self, message: dict) -> None:
        """One message's bug answers that message with an error event; the socket goes on serving."""
        try:
            await self._dispatch(message)
        except KindredError as exc:
            await self.error(exc.code, exc.message, exc.hint)
        except Exception:
            log.exception("message failed")
            await self.error("message-failed", "That message could not be handled.",
                             "Try again; the server log has the details.")

    async def _dispatch(self, message: dict) -> None:
        kind = message.get("type")
        if kind == "cancel":
            self._stop()
        elif kind == "say":
            if self.running is not None and not self.running.done() and self.replied:
                # The reply is out; what is left of that turn is quick bookkeeping (the memory work that
                # needs the model waits in its queue): a person answering at once waits for it, not refused.
                await asyncio.wait({self.running}, timeout=AFTER_REPLY_WAIT_S)
            if self._busy():
                return await self.error("turn-busy", "Still answering the last message.",
                                        "Wait for the reply, or send {\"type\": \"cancel\"} first.")
            if await self._server_busy() or await self._rate_limited():
                return
            text = message.get("text", "")
            text = text[:MAX_SAY_CHARS] if isinstance(text, str) else ""
            self.running = asyncio.create_task(self._turn(text, new_session=bool(message.get("new_session")),
                                                          speak=bool(message.get("speak"))))
        elif kind == "audio_start":
            if self.state.speech is None:
                return await self.error("voice-unavailable", "Voice is not available on this server.",
                                        "Install the voice extra: pip install 'kindred[voice]'.")
            self.audio, self.audio_speak = bytearray(), message.get("speak", True) is not False
        elif kind == "audio_end" and self.audio is not None:
            pcm, self.audio = bytes(self.audio), None
            if await self._server_busy() or await self._rate_limited():
                return
            await self._supersede()
            self.running = asyncio.create_task(self._voice_turn(pcm))
        elif kind == "audio_abort":
            self.audio = None
        elif kind == "frame":
            await self._on_frame(message.get("jpeg"))
        elif kind == "camera_off":
            self.face.clear()
        elif kind in ("speak", "repeat"):
            text = message.get("text") if kind == "speak" else self.last_reply[0]
            language = message.get("language") if kind == "speak" else self.last_reply[1]
            if isinstance(text, str) and text.strip():
                self._speak(text[:MAX_SPOKEN_CHARS], language if language in ("en", "ko") else "en")
        elif kind != "audio_end":
            await self.error("message-unknown", f"Unknown message type {kind!r}.",
                             "Send {\"type\": \"say\", \"text\": \"...\"} or {\"type\": \"cancel\"}.")

    # ---- turns -------------------------------------------------------------------------------
    def _busy(self) -> bool:
        return self.running is not None and not self.running.done()

    async def _rate_limited(self) -> bool:
        """A turn costs the model real time: each account gets so many a minute, over all its sockets."""
        wait = self.state.rates.turn_allowed(self.user)
        if wait:
            seconds = max(1, math.ceil(wait))
            await self.send(Failed("", "server", "rate-limited", "Too many messages at once; please slow down.",
                                   f"Try again in {seconds} s.", retry_after_s=seconds))
        return bool(wait)

    async def _server_busy(self) -> bool:
        """This replica runs and queues all the turns it can: refused before the account's budget is spent."""
        try:
            self.state.gate.refuse_if_full()
        except ServerBusyError as exc:
            await self._refuse_busy(exc)
            return True
        return False

    async def _refuse_busy(self, exc: ServerBusyError) -> None:
        await self.send(Failed("", "server", exc.code, exc.message, exc.hint, retry_after_s=exc.retry_after_s))

    def _stop(self) -> None:
        for task in (self.running, self.speaking):
            if task is not None and not task.done():
                task.cancel()

    async def _supersede(self) -> None:
        """A new utterance is a barge-in: the reply still being written or spoken stops first."""
        tasks = [t for t in (self.running, self.speaking) if t is not None and not t.done()]
        self._stop()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _turn(self, text: str, *, new_session: bool = False, speak: bool = False, source: str = "text",
                    voice=None) -> None:
        """The turn once this replica has a place for it (admission.py): until then it waits in line, and a
        cancel gives the place up; a line that filled meanwhile refuses it as server-busy, nothing stored."""
        admitted = False
        try:
            async with self.state.gate.admitted() as place:
                admitted = True
                await self._answer(text, new_session=new_session, speak=speak, source=source, voice=voice,
                                   replied=place.release)
        except ServerBusyError as exc:
            await self._refuse_busy(exc)
        except asyncio.CancelledError:
            if not admitted:
                await self.send(Cancelled(""))
            raise

    async def _answer(self, text: str, *, new_session: bool, speak: bool, source: str, voice,
                      replied: Callable[[], None] = lambda: None) -> None:
        speaker = Speaker(self.state.speech, self.send) if speak and self.state.speech is not None else None
        turn_id, ended = "", None
        self.replied = False
        try:
            async for event in run_turn(self.state.companion, text, user=self.user, new_session=new_session,
                                        source=source, face=self.face.fresh(), voice=voice):
                turn_id = event.turn_id
                if isinstance(event, RunEnded):
                    ended = event  # sent last, after the spoken reply
                    continue
                await self.send(event)
                if speaker is not None:
                    speaker.feed(event)
                if isinstance(event, Heard):
                    self.last_heard = event.turn_id
                elif isinstance(event, Replied):
                    replied()  # the next person in line may start: the rest is bookkeeping
                    self.last_reply = (event.text, event.language)
                    self.replied = speaker is None  # a spoken reply is still going out: that turn is busy
            if speaker is not None:
                await speaker.finish()
        except KindredError as exc:
            await self.error(exc.code, exc.message, exc.hint, turn_id)
        except asyncio.CancelledError:
            if speaker is not None:
                speaker.cancel()
            await self.send(Cancelled(turn_id))
            raise
        except Exception:  # a bug must not kill the socket silently
            log.exception("turn failed")
            await self.error("turn-crashed", "Something went wrong while answering.",
                             "Try again; the server log has the details.", turn_id)
        finally:
            if speaker is not None:
                speaker.cancel()
        await self.send(ended or RunEnded(turn_id, "failed"))

    async def _voice_turn(self, pcm: bytes) -> None:
        try:
            transcript, voice = await asyncio.to_thread(hear, self.state.speech, pcm)
        except KindredError as exc:
            return await self.error(exc.code, exc.message, exc.hint)
        if transcript is None:
            return await self.send(NoSpeech())
        await self.send(Transcript(text=transcript.text, language=transcript.language))
        action = match_command(transcript.text)
        if action is not None:
            return await self._command(action, transcript.language)
        await self._turn(transcript.text, source="voice", voice=voice, speak=self.audio_speak)

    async def _command(self, action: str, language: str) -> None:
        from .commands import run_command

        said, extra = await run_command(self, action, language)
        await self.send(Command(action=action, say=said, language=language, **extra))
        if self.audio_speak:
            self._speak(said + (" " + extra["text"] if extra.get("text") else ""), language)

    def _speak(self, text: str, language: str) -> None:
        if self.state.speech is None:
            return
        if self.speaking is not None and not self.speaking.done():
            self.speaking.cancel()

        async def speaking() -> None:
            speaker = Speaker(self.state.speech, self.send, language)
            try:
                speaker.say(text)
                await speaker.finish()
            finally:
                speaker.cancel()
        self.speaking = asyncio.create_task(speaking())

    # ---- voice and camera input -------------------------------------------------------------
    async def _on_pcm(self, data: bytes) -> None:
        if self.audio is None:
            return  # frames after an abort or before a start: dropped
        if len(self.audio) + len(data) > MAX_UTTERANCE_BYTES:
            self.audio = None
            await self.error("utterance-too-long", "That was too long to hear at once.",
                             "Speak in turns of under 30 seconds.")
            return
        self.audio.extend(data)

    async def _on_frame(self, data: object) -> None:
        if self.state.faces is None:
            return await self.error("camera-unavailable", "The camera cannot be read on this server.",
                                    "Install the face extra: pip install 'kindred[face]'.")
        jpeg = decode_frame(data)
        if jpeg is None or (self.seeing is not None and not self.seeing.done()):
            return  # a bad frame, or still reading the last one: skip this one

        async def seeing() -> None:
            try:
                reading = await asyncio.to_thread(self.state.faces.read, jpeg)
            except KindredError as exc:
                return await self.error(exc.code, exc.message, exc.hint)
            self.face.keep(reading)
            await self.send(seen_event(reading))
        self.seeing = asyncio.create_task(seeing())

    async def _checkin_loop(self) -> None:
        while True:
            try:
                due = await asyncio.to_thread(deliver_checkins, self.state.db, self.user, self.state.clock(),
                                              self.state.companion.settings.timezone)
            except KindredError as exc:
                log.warning("check-ins: %s", exc.message)
                due = []
            for event in due:
                await self.send(event)
            await asyncio.sleep(self.state.options.checkin_interval_s)

    async def _watch_token(self) -> None:
        """Sign-out, a password change or expiry revokes the token in the store: close within the interval.

        Polled rather than notified, because the revocation may happen on another replica."""
        while True:
            await asyncio.sleep(self.state.options.token_check_interval_s)
            try:
                user = await asyncio.to_thread(self.state.accounts.user_for_token, self.token)
            except KindredError as exc:  # the store hiccuped: look again next time, keep the person
                log.warning("token check: %s", exc.message)
                continue
            if user != self.user:
                break
        self.revoked = True  # before closing: a message already on its way starts nothing
        async with self.lock:  # after any frame being sent; nothing goes out after the close
            try:
                await self.ws.close(code=UNAUTHORISED, reason="token-revoked")
            except (WebSocketDisconnect, RuntimeError):
                pass
        self._stop()

    # ---- wire --------------------------------------------------------------------------------
    async def _parse(self, raw: str) -> dict | None:
        if len(raw) > MAX_MESSAGE_CHARS:
            await self.error("message-too-large", "That message is too long to send at once.",
                             f"Send under {MAX_MESSAGE_CHARS} characters.")
            return None
        try:
            message = bounded_json.loads(raw)
        except InputError as exc:  # not JSON, too deep, too large a number, a lone surrogate: say so, keep the socket
            await self.error("message-invalid", exc.message, exc.hint)  # the code the page knows; the words say why
            return None
        if not isinstance(message, dict):
            await self.error("message-invalid", "Messages are JSON objects.",
                             "Send {\"type\": \"say\", \"text\": \"...\"}.")
            return None
        return message

    async def error(self, code: str, message: str, hint: str, turn_id: str = "") -> None:
        await self.send(Failed(turn_id, "server", code, message, hint))

    async def send(self, event: Event) -> None:
        """Every message to the page is a typed event, written by the one serialiser (and logged with it)."""
        if self.state.events is not None:
            self.state.events.write(event)
        await self.send_text(serialize(event))

    async def send_text(self, text: str) -> None:
        async with self.lock:
            try:
                await self.ws.send_text(text)
            except (WebSocketDisconnect, RuntimeError):
                pass
