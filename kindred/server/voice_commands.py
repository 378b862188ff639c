"""Voice-first mode: short spoken commands for every page action, with spoken confirmations.

Only a whole utterance that is a command counts ("stop", "read that again", "switch to large
text"), so ordinary talk that merely contains those words still goes to the companion. English
and Korean. The page carries out page actions; the socket carries out server ones (repeat, stop,
forget that, check-ins).
"""
from __future__ import annotations

import re

# action → (English phrasings, Korean phrasings); matched against the whole, normalised utterance.
COMMANDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "repeat": (("read that again", "say that again", "repeat that", "repeat", "again", "what did you say"),
               ("다시 읽어 줘", "다시 말해 줘", "다시 말해 주세요", "다시 읽어 주세요", "뭐라고")),
    "stop": (("stop", "stop talking", "be quiet", "quiet", "hush", "cancel"),
             ("멈춰", "그만", "조용히", "멈춰 줘", "그만해")),
    "forget_that": (("forget that", "forget what i just said", "please forget that", "don't remember that"),
                    ("잊어 줘", "그거 잊어 줘", "방금 말 잊어 줘", "잊어 주세요")),
    "large_text": (("switch to large text", "large text", "bigger text", "make the text bigger"),
                   ("큰 글씨", "큰 글씨로", "글씨 크게", "글씨 크게 해 줘")),
    "normal_text": (("switch to normal text", "normal text", "smaller text", "small text"),
                    ("보통 글씨", "보통 글씨로", "글씨 작게")),
    "korean": (("switch to korean", "korean", "speak korean"), ("한국어", "한국어로", "한국어로 바꿔 줘")),
    "english": (("switch to english", "english", "speak english"), ("영어", "영어로", "영어로 바꿔 줘")),
    "open_memories": (("what do you remember", "show my memories", "open memories"),
                      ("뭘 기억해", "기억 보여 줘", "기억 열어 줘")),
    "open_learned": (("what have you learned", "what have you learned about me", "show what you learned"),
                     ("뭘 배웠어", "배운 것 보여 줘")),
    "close": (("close", "close that", "close the panel"), ("닫아", "닫아 줘")),
    "camera_on": (("turn on the camera", "camera on", "start the camera"), ("카메라 켜", "카메라 켜 줘")),
    "camera_off": (("turn off the camera", "camera off", "stop the camera"), ("카메라 꺼", "카메라 꺼 줘")),
    "hands_free_off": (("stop listening", "hands free off", "turn off hands free"), ("그만 들어", "핸즈프리 꺼")),
    "checkins_on": (("turn on check ins", "check ins on"), ("안부 켜", "안부 인사 켜 줘")),
    "checkins_off": (("turn off check ins", "check ins off", "stop check ins"), ("안부 꺼", "안부 인사 꺼 줘")),
    "help": (("help", "what can i say", "commands"), ("도움말", "뭐라고 말하면 돼")),
}

CONFIRM = {
    "repeat": ("Reading it again.", "다시 읽을게요."),
    "stop": ("Stopped.", "멈췄어요."),
    "forget_that": ("I've forgotten what you just said.", "방금 하신 말은 잊었어요."),
    "forget_unavailable": ("I can't forget single things yet; the memory panel shows what I keep.",
                           "아직 하나씩 잊을 수는 없어요. 기억 창에서 볼 수 있어요."),
    "nothing_to_repeat": ("There is nothing to read again yet.", "아직 다시 읽을 말이 없어요."),
    "large_text": ("Large text is on.", "큰 글씨로 바꿨어요."),
    "normal_text": ("Normal text is on.", "보통 글씨로 바꿨어요."),
    "korean": ("한국어로 바꿨어요.", "한국어로 바꿨어요."),
    "english": ("Switched to English.", "Switched to English."),
    "open_memories": ("Here is what I remember.", "제가 기억하는 것을 열었어요."),
    "open_learned": ("Here is what I've learned about you.", "제가 배운 것을 열었어요."),
    "close": ("Closed.", "닫았어요."),
    "camera_on": ("Turning the camera on.", "카메라를 켤게요."),
    "camera_off": ("The camera is off.", "카메라를 껐어요."),
    "hands_free_off": ("I've stopped listening. Press the microphone to talk again.",
                       "이제 듣지 않아요. 다시 말하려면 마이크를 누르세요."),
    "checkins_on": ("Check-ins are on.", "안부 인사를 켰어요."),
    "checkins_off": ("Check-ins are off.", "안부 인사를 껐어요."),
    "help": ("You can say: read that again, stop, forget that, switch to large text, switch to Korean, "
             "what do you remember, what have you learned, close, turn on the camera, stop listening, "
             "turn on check-ins.",
             "이렇게 말할 수 있어요: 다시 읽어 줘, 멈춰, 잊어 줘, 큰 글씨, 영어로, 기억 보여 줘, 배운 것 보여 줘, "
             "닫아, 카메라 켜, 그만 들어, 안부 켜."),
}

_POLITE = re.compile(r"^(?:(?:please|kindred|hey kindred|ok|okay|now)\s+)+|(?:\s+(?:please|now|thanks|thank you))+$")
_PUNCT = re.compile(r"[^\w\s가-힣]+")
_LOOKUP = {phrase: action for action, (en, ko) in COMMANDS.items() for phrase in (*en, *ko)}


def normalise(text: str) -> str:
    words = " ".join(_PUNCT.sub(" ", text.lower().replace("-", " ")).split())
    return _POLITE.sub("", words).strip()


def match_command(text: str) -> str | None:
    """The action a whole utterance asks for, or None when it is ordinary talk."""
    if len(text) > 80:
        return None
    return _LOOKUP.get(normalise(text))


def confirmation(key: str, language: str) -> str:
    en, ko = CONFIRM[key]
    return ko if language == "ko" else en
