"""Learning through the real turn loop: corrections change later turns, check-ins get scheduled."""
from datetime import UTC, datetime, timedelta

from kindred.learning import apply_feedback
from kindred.recommend import list_checkins
from kindred.turn import Companion

from .conftest import ScriptedChat


class Recording(ScriptedChat):
    def __init__(self):
        super().__init__(("ok",))
        self.options = []

    async def stream(self, messages, options):
        self.options.append(options)
        async for piece in super().stream(messages, options):
            yield piece


async def say(companion, text):
    return [e async for e in companion.turn(text)]


async def test_three_too_long_lower_the_token_budget_and_say_so(settings, store):
    chat = Recording()
    companion = Companion(settings=settings, chat=chat, store=store)
    reply = (await say(companion, "tell me about your day"))[-1]
    for _ in range(3):
        apply_feedback(store, settings.user, reply.turn_id, "bad", "too long")
    await say(companion, "and then?")
    before, after = chat.options[0].max_tokens, chat.options[1].max_tokens
    assert after <= 0.6 * before
    assert "short" in chat.calls[1][-1].content.lower()


async def test_asking_for_banmal_in_conversation_switches_register_for_the_next_session(settings, store):
    from dataclasses import replace

    settings = replace(settings, register_ko="jondaetmal")
    chat = Recording()
    companion = Companion(settings=settings, chat=chat, store=store)
    await say(companion, "반말로 해줘")
    later = Companion(settings=settings, chat=chat, store=store)
    await later.turn("오늘 좀 피곤해", new_session=True).__anext__()  # first event: stored
    async for _ in later.turn("오늘 좀 피곤해", new_session=True):
        pass
    assert "반말" in chat.calls[-1][-1].content and "존댓말" not in chat.calls[-1][-1].content


async def test_an_interview_on_friday_schedules_a_check_in(settings, store):
    companion = Companion(settings=settings, chat=Recording(), store=store)
    await say(companion, "I have a job interview on Friday and I'm nervous")
    planned = list_checkins(store, settings.user)
    assert planned and planned[0].due_at > datetime.now(UTC) - timedelta(days=1)


async def test_saying_a_suggestion_helped_rewards_it(settings, store):
    from datetime import UTC, datetime

    from kindred.recommend import recommend, recommendation_history

    offered = recommend(store, settings.user, {"valence": -0.7, "arousal": 0.6, "labels": ["nervousness"]},
                        datetime.now(UTC), asked=True, language="en")
    assert offered is not None
    await say(Companion(settings=settings, chat=Recording(), store=store),
              "I tried it and it really helped, thank you")
    outcome = [h for h in recommendation_history(store, settings.user) if h["id"] == offered.id][0]
    assert outcome["outcome"] == "helped" and outcome["reward"] > 0
