"""A classifier-only worry reaches the reply prompt as one gentle line, not as the crisis protocol."""
from kindred.events import Replied, SafetyChecked
from kindred.safety import crisis
from kindred.safety.crisis import GENTLE_CHECK, RiskAssessment
from kindred.turn import Companion


async def _turn(companion, text):
    return [event async for event in companion.turn(text)]


async def test_a_gentle_check_reaches_the_prompt_and_the_reply_is_generated(settings, store, scripted_chat,
                                                                            monkeypatch):
    import kindred.turn as turn

    worried = RiskAssessment("low", "self_harm", ("classifier alone: medium (p=0.70), short: gentle check",),
                             gentle_check=True)
    monkeypatch.setattr(turn, "assess", lambda text: worried)
    events = await _turn(Companion(settings=settings, chat=scripted_chat, store=store), "meh")
    checked = next(e for e in events if isinstance(e, SafetyChecked))
    assert checked.action == "continue"
    assert isinstance(events[-1], Replied) and events[-1].backend == "scripted"
    prompt = "\n".join(m.content for m in scripted_chat.calls[0])
    assert GENTLE_CHECK["en"] in prompt


async def test_no_gentle_line_when_nothing_worries_the_classifier(settings, store, scripted_chat):
    events = await _turn(Companion(settings=settings, chat=scripted_chat, store=store), "I baked bread today")
    assert isinstance(events[-1], Replied)
    prompt = "\n".join(m.content for m in scripted_chat.calls[0])
    assert GENTLE_CHECK["en"] not in prompt and GENTLE_CHECK["ko"] not in prompt
    assert crisis.assess("I baked bread today").gentle_check is False
