"""`kindred say` and `kindred talk`: Kindred's voice, from text or from a conversation."""
from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator

from ..errors import InputError

TONES = ("comforting", "celebrating", "curious", "playful", "calm", "serious", "neutral")


def register(sub: argparse._SubParsersAction) -> None:
    from .common import add_llm_options

    say = sub.add_parser("say", help="speak a text to a WAV file in a tone",
                         description="Synthesize TEXT with Kindred's voice, in the prosody of a tone.")
    say.add_argument("text", nargs="+", help="what to say")
    say.add_argument("--tone", choices=TONES, default="neutral", help="how it should sound (default: neutral)")
    say.add_argument("--out", required=True, metavar="WAV", help="where to write the 24 kHz WAV")
    say.add_argument("--language", choices=("en", "ko"), help="en or ko (default: detected from the text)")
    say.set_defaults(func=run_say)

    talk = sub.add_parser("talk", help="talk with Kindred by voice",
                          description="Talk through the microphone and speaker, or one turn through WAV files.")
    talk.add_argument("--input", metavar="WAV", help="a WAV of what you say (one turn, no audio device needed)")
    talk.add_argument("--output", metavar="WAV", help="with --input: where to write Kindred's spoken reply")
    talk.add_argument("--language", choices=("en", "ko"), help="skip language detection")
    talk.add_argument("--json", action="store_true", help="with --input: print the turn as JSON")
    add_llm_options(talk)
    talk.set_defaults(func=run_talk)


def run_say(args: argparse.Namespace) -> int:
    from ..config import load_settings
    from ..perception.language import detect_language
    from ..voice.audio import write_wav
    from ..voice.backends import VoiceConfig, Voices
    from ..voice.prosody import prosody_for

    text = " ".join(args.text).strip()
    if not text:
        raise InputError("There is nothing to say.", 'kindred say "Hello" --out hello.wav')
    language = args.language or ("ko" if detect_language(text) == "ko" else "en")
    tts = Voices(VoiceConfig.from_settings(load_settings())).for_language(language)
    audio = tts.synthesize(text, language, prosody_for(args.tone))
    write_wav(args.out, audio)
    print(f"{args.out}: {audio.duration_s:.2f} s, {language}, tone {args.tone}, voice {tts.name}")
    return 0


def run_talk(args: argparse.Namespace) -> int:
    if args.output and not args.input:
        raise InputError("--output needs --input.", "kindred talk --input in.wav --output out.wav")
    if args.input:
        return asyncio.run(_file_turn(args))
    return asyncio.run(_live(args))


def _open(args: argparse.Namespace, player):
    from ..runtime import open_companion
    from ..voice.backends import VoiceConfig, Voices, open_stt
    from ..voice.pipeline import VoiceConversation
    from .common import assembling_progress, settings_from

    settings = settings_from(args)
    config = VoiceConfig.from_settings(settings)
    stt = open_stt(config)  # first: a missing voice extra fails before the LLM is loaded
    companion = open_companion(settings, assembling_progress(), feelings_off=lambda exc: print(
        f"(feelings from words are off: {exc.message})", file=sys.stderr))
    return VoiceConversation(companion, stt, Voices(config), player, language=args.language)


async def _file_turn(args: argparse.Namespace) -> int:
    import json

    from ..voice.audio import read_wav, write_wav
    from ..voice.playback import PacedPlayer
    from ..voice.vad import has_speech
    from .common import finish_memory

    utterance = read_wav(args.input)  # a bad file fails before any model loads
    if not has_speech(utterance):  # silence or noise: no need to load the models at all
        print(f"(no speech heard in {args.input}; no turn taken)", file=sys.stderr)
        return 0
    player = PacedPlayer(realtime=False)
    conversation = _open(args, player)
    transcript, arousal = await conversation.hear(utterance)
    if transcript is None:
        print(f"(no speech heard in {args.input}; no turn taken)", file=sys.stderr)
        return 0
    turn = await conversation.respond(transcript, arousal)
    await finish_memory(conversation.companion)
    if args.output:
        write_wav(args.output, player.audio())
    if args.json:
        print(json.dumps({"heard": transcript.text, "language": transcript.language, "reply": turn.reply_text,
                          "tone": turn.tone, "spoken_tones": turn.spoken_tones, "status": turn.status,
                          "arousal": arousal.arousal, "arousal_confidence": arousal.confidence,
                          "events": [e.to_dict() for e in turn.events]}, ensure_ascii=False))
    else:
        print(f"you ({transcript.language}, arousal {arousal.arousal:.2f}): {transcript.text}")
        print(f"kindred ({turn.tone}): {turn.reply_text}")
    return 4 if turn.status == "failed" else 0


async def _live(args: argparse.Namespace) -> int:
    from ..voice.backchannel import BackchannelCheck
    from ..voice.backends import open_turn_detector
    from ..voice.bargein import BargeInGate
    from ..voice.devices import SpeakerPlayer, check_devices, microphone_frames
    from ..voice.listen import Listener
    from ..voice.turntaking import TurnTaker, take_turns
    from .common import finish_memory

    check_devices()
    player = SpeakerPlayer()
    conversation = _open(args, player)
    turn, problem = open_turn_detector(conversation.voices.config)
    if problem:  # still a conversation: the fixed silence wait ends each turn instead
        print(f"(end of turn by meaning is off: {problem})", file=sys.stderr)
    listener = Listener(conversation.stt, language=args.language, turn=turn)
    gate = BargeInGate(player)  # one for the session: the echo it learns is this room's
    check = BackchannelCheck(conversation.stt)
    await conversation.warm_up()  # the first reply then starts as fast as the later ones
    print("Listening. Speak whenever you like; Ctrl-C leaves.", file=sys.stderr)
    microphone = microphone_frames()
    frames: AsyncIterator[bytes] = microphone
    try:
        while True:
            utterance = await listener.next_utterance(frames)
            if utterance is None:
                return 0
            transcript, arousal = await conversation.hear_live(listener, utterance)
            if transcript is None:
                continue
            print(f"you (arousal {arousal.arousal:.2f}): {transcript.text}", file=sys.stderr)
            barge = asyncio.Event()
            reply = asyncio.create_task(conversation.respond(transcript, arousal, since=utterance.speech_end_at,
                                                             barge_in=barge))
            language = transcript.language if transcript.language in ("en", "ko") else "en"
            taking = await take_turns(microphone, TurnTaker(gate, check, language), player, reply, barge)
            turn = await reply
            frames = _replayed(taking.replay, microphone)  # the listener hears the interruption from its start
            print(f"kindred ({turn.tone}{', interrupted' if turn.status == 'interrupted' else ''}): "
                  f"{turn.reply_text}", file=sys.stderr)
    except KeyboardInterrupt:
        return 130
    finally:
        player.close()
        await finish_memory(conversation.companion)


async def _replayed(first: list[bytes], rest: AsyncIterator[bytes]) -> AsyncIterator[bytes]:
    for frame in first:
        yield frame
    async for frame in rest:
        yield frame
