"""Suggestions: offered sparingly, explained, and learned from how they landed."""
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from kindred.learning import apply_feedback
from kindred.recommend.intent import asks_for_suggestion, outcome_from_reply, wants_to_be_heard
from kindred.recommend.recommender import (
    RecommendError,
    pending_recommendation,
    recommend,
    recommendation_history,
    record_outcome,
)

pytestmark = pytest.mark.both_engines

SEOUL = ZoneInfo("Asia/Seoul")
USER = "local"
ANXIOUS = {"valence": -0.6, "arousal": 0.8, "labels": [("nervousness", 0.7), ("fear", 0.3)]}
SAD = {"valence": -0.7, "arousal": 0.3, "labels": ["sadness"]}
FINE = {"valence": 0.5, "arousal": 0.4, "labels": ["joy"]}


@pytest.fixture
def db(settings):
    return settings.database_location


def at(day: int, hour: int) -> datetime:
    return datetime(2025, 3, day, hour, tzinfo=SEOUL)


def test_not_offered_when_they_want_to_be_heard_or_are_fine(db):
    assert recommend(db, USER, SAD, at(10, 15), wants_listening=True) is None
    assert recommend(db, USER, FINE, at(10, 15)) is None
    assert recommend(db, USER, FINE, at(10, 15), asked=True) is not None  # asking always gets one


def test_not_offered_after_they_asked_for_listening(db):
    apply_feedback(db, USER, "t1", "note", "just listen, no advice")
    assert recommend(db, USER, SAD, at(10, 15)) is None
    assert recommend(db, USER, SAD, at(10, 15), asked=True) is not None


def test_offered_at_most_once_per_cooldown(db):
    assert recommend(db, USER, SAD, at(10, 15)) is not None
    assert recommend(db, USER, SAD, at(10, 17)) is None
    assert recommend(db, USER, SAD, at(10, 22)) is not None


def test_a_suggestion_has_steps_and_a_reason(db):
    rec = recommend(db, USER, ANXIOUS, at(10, 15), seed=1)
    assert rec.title and rec.why and rec.kind in {"activity", "music", "reading"}
    assert rec.as_text().startswith(rec.title)


def test_why_names_what_helped_before(db):
    first = recommend(db, USER, SAD, at(3, 15), asked=True, seed=0)
    record_outcome(db, USER, first.id, "helped", at(3, 16))
    later = [recommend(db, USER, SAD, at(10, 15), asked=True, seed=s) for s in range(6)]
    same = [rec for rec in later if rec.arm == first.arm]
    assert same, "a suggestion that helped is offered again"
    assert same[0].why.startswith("you said") and "helped last week" in same[0].why


def test_why_in_korean(db):
    first = recommend(db, USER, SAD, at(9, 15), asked=True, seed=0, language="ko")
    record_outcome(db, USER, first.id, "helped", at(9, 16))
    again = next(r for r in (recommend(db, USER, SAD, at(10, 15), asked=True, seed=s, language="ko")
                             for s in range(6)) if r.arm == first.arm)
    assert again.why.startswith("어제") and "도움이 됐다고" in again.why


def test_bandit_learns_what_helps_in_which_mood(db):
    """This user: breathing helps when anxious; music when sad. Everything else is declined."""
    helps = {"anxious": "breathing", "sad": "music_calm"}
    start = at(1, 9)
    for step in range(60):
        mood, affect = ("anxious", ANXIOUS) if step % 2 else ("sad", SAD)
        now = start + timedelta(hours=7 * step)
        rec = recommend(db, USER, affect, now.replace(hour=15), asked=True, seed=step)
        record_outcome(db, USER, rec.id, "helped" if rec.arm == helps[mood] else "declined", now)
    late = Counter()
    for step in range(20):
        mood, affect = ("anxious", ANXIOUS) if step % 2 else ("sad", SAD)
        rec = recommend(db, USER, affect, at(28, 15), asked=True, seed=100 + step)
        late[rec.arm == helps[mood]] += 1
        record_outcome(db, USER, rec.id, "helped" if rec.arm == helps[mood] else "declined", at(28, 16))
    assert late[True] >= 16


def test_friends_and_night(db):
    night = datetime(2025, 3, 10, 2, tzinfo=SEOUL)
    arms = {recommend(db, USER, SAD, night, asked=True, seed=s, friends=["Mina"]).arm for s in range(40)}
    assert "walk" not in arms and "call_friend" not in arms
    day_arms = {recommend(db, "u2", SAD, at(10, 15), asked=True, seed=s, friends=["Mina"]).title
                for s in range(60)}
    assert "Call or message Mina" in day_arms
    no_friends = {recommend(db, "u3", SAD, at(10, 15), asked=True, seed=s).arm for s in range(40)}
    assert "call_friend" not in no_friends


def test_music_comes_from_the_users_folder(db, tmp_path: Path):
    folder = tmp_path / "music"
    folder.mkdir()
    (folder / "Quiet_Piano_Evening.mp3").write_bytes(b"")  # no tags: the file name is the title
    (folder / "notes.txt").write_text("not music")
    titles = {recommend(db, USER, SAD, at(10, 15), asked=True, seed=s, music_dir=folder).title
              for s in range(40)}
    assert "Quiet Piano Evening" in titles


def test_outcomes_feedback_and_isolation(db):
    rec = recommend(db, USER, SAD, at(10, 15), asked=True, turn_id="turn-1")
    assert pending_recommendation(db, USER, at(10, 16)) == rec.id
    apply_feedback(db, USER, "turn-1", "bad")
    history = recommendation_history(db, USER)
    assert history[-1]["outcome"] == "disliked" and history[-1]["reward"] == 0.0
    assert pending_recommendation(db, USER, at(10, 17)) is None
    with pytest.raises(RecommendError):
        record_outcome(db, "someone-else", rec.id, "taken")
    with pytest.raises(RecommendError):
        record_outcome(db, USER, rec.id, "loved-it")
    assert record_outcome(db, USER, rec.id, "taken", valence_change=-1.0) == pytest.approx(0.8)
    assert recommendation_history(db, "someone-else") == []


@pytest.mark.parametrize("text, heard, asks", [
    ("I just need to vent", True, False),
    ("그냥 들어줘", True, False),
    ("what should I do?", False, True),
    ("뭐 하면 좋을까? 추천해 줘", False, True),
    ("my boss yelled at me", False, False),
])
def test_reading_what_a_message_asks_for(text, heard, asks):
    assert wants_to_be_heard(text) is heard and asks_for_suggestion(text) is asks


@pytest.mark.parametrize("text, outcome", [
    ("that helped, thanks", "helped"), ("도움이 됐어", "helped"), ("ok I'll try it", "taken"),
    ("해볼게", "taken"), ("no thanks", "declined"), ("나중에", "declined"), ("hmm", None),
])
def test_reading_how_a_suggestion_landed(text, outcome):
    assert outcome_from_reply(text) == outcome
