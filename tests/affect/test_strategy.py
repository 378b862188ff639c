import pytest

from kindred.affect.fusion import from_text, fuse
from kindred.affect.strategy import STRATEGIES, TONES, ResponsePlan, choose, guidance_lines

from .readings import ANGER, FEAR, GRIEF, JOY, NEUTRAL, SAD, face_reading, text_reading


def plan(probs, text="", language="en", **kwargs) -> ResponsePlan:
    return choose(from_text(text_reading(probs, language=language)), text=text, **kwargs)


def test_plan_is_always_one_or_two_known_strategies_and_a_known_tone():
    for probs in (SAD, GRIEF, FEAR, ANGER, JOY, NEUTRAL):
        chosen = plan(probs)
        assert 1 <= len(chosen.strategies) <= 2 and set(chosen.strategies) <= set(STRATEGIES)
        assert chosen.tone in TONES and chosen.why


@pytest.mark.parametrize("probs, text, situation, tone, lead", [
    (GRIEF, "my grandmother died", "grief", "comforting", "reflection_of_feelings"),
    (FEAR, "I have an exam tomorrow", "anxiety", "calm", "affirmation_and_reassurance"),
    (ANGER, "my boss took credit for my work", "anger", "calm", "reflection_of_feelings"),
    (JOY, "I got the job!", "good_news", "celebrating", "affirmation_and_reassurance"),
    (NEUTRAL, "I'm so bored", "boredom", "playful", "providing_suggestions"),
    (SAD, "I feel so lonely", "loneliness", "comforting", "reflection_of_feelings"),
    (NEUTRAL, "what did you do today", "neutral", "curious", "question"),
])
def test_situations_follow_the_playbook(probs, text, situation, tone, lead):
    """The feeling sets the tone and its move comes right after the opening question."""
    chosen = plan(probs, text)
    assert (chosen.situation, chosen.tone) == (situation, tone)
    assert chosen.strategies[0] == "question" and lead in chosen.strategies


def test_a_smiling_face_over_sad_words_is_met_with_a_gentle_question():
    fused = fuse(text=text_reading(SAD), face=face_reading("happy"))
    chosen = choose(fused, text="my dog died last week")
    assert chosen.situation == "masked" and chosen.strategies[0] == "question"
    assert "masking: smiling face with sad words" in chosen.why
    assert any("playing down a hurt" in line for line in guidance_lines(chosen))


def test_playing_it_down_after_bad_news_reads_as_masked():
    earlier = [from_text(text_reading(SAD))]
    chosen = choose(from_text(text_reading(NEUTRAL)), text="but honestly it's fine, I'm fine haha",
                    trajectory=earlier)
    assert chosen.situation == "masked" and chosen.tone == "calm"


def test_asking_for_advice_puts_suggestions_first_unless_they_prefer_listening():
    asked = plan(FEAR, "what should I do?")
    assert asked.strategies[0] == "providing_suggestions"
    listener = plan(FEAR, "what should I do?", advice_vs_listening="listen")
    assert listener.strategies == ("affirmation_and_reassurance", "providing_suggestions")
    assert "prefer to be heard" in listener.why
    bored_listener = plan(NEUTRAL, "I'm so bored", advice_vs_listening="listen")
    assert "providing_suggestions" not in bored_listener.strategies


def test_a_persisting_hard_feeling_moves_towards_action_for_people_who_like_advice():
    history = [from_text(text_reading(ANGER)), from_text(text_reading(ANGER))]
    chosen = choose(from_text(text_reading(ANGER)), text="he did it again", trajectory=history,
                    advice_vs_listening="advise", message_number=4)
    assert chosen.strategies == ("question", "providing_suggestions")
    assert "lasted several messages" in chosen.why


def test_memories_shape_the_choice_and_are_quoted_in_why():
    loss = plan(SAD, "today is hard", memory_flags={"anniversary"}, memories=["Their father died in May."])
    assert loss.tone == "comforting" and "Their father died in May." in loss.why
    progress = plan(JOY, "six months sober today", memory_flags={"ongoing_struggle"},
                    memories=["They are recovering from alcohol addiction."])
    assert progress.tone == "celebrating" and "affirmation_and_reassurance" in progress.strategies
    assert "progress" in progress.why


def test_hostility_towards_her_is_met_calmly():
    chosen = plan(ANGER, "you're useless, shut up")
    assert chosen.situation == "hostility" and chosen.tone == "calm"


def test_scripted_conversation_tone_follows_the_mood_and_why_says_so():
    """Sad, then sad again, then good news: comforting → comforting → celebrating, with the reason."""
    script = [(GRIEF, "my grandmother died on Sunday"), (SAD, "I keep thinking about her"),
              (JOY, "but guess what, I got into the nursing program she always wanted for me!")]
    readings, plans = [], []
    for probs, text in script:
        fused = from_text(text_reading(probs))
        plans.append(choose(fused, text=text, trajectory=readings))
        readings.append(fused)
    assert [p.tone for p in plans] == ["comforting", "comforting", "celebrating"]
    assert "lifted since earlier" in plans[-1].why and "celebrating tone" in plans[-1].why


def test_guidance_is_one_short_line_with_concrete_moves_and_the_tone():
    """Read before every first token: one line, moves a small model can follow, the tone by name."""
    chosen = plan(GRIEF, "할머니가 돌아가셨어", language="ko")
    lines = guidance_lines(chosen, "ko")
    assert len(lines) == 1 and len(lines[0]) < 200
    assert lines[0].startswith("Plan: ask one gentle question about it, then name the feeling")
    assert "Tone: comforting" in lines[0]
    happy = plan(JOY, "I got the job!")
    assert "Tone: celebrating" in guidance_lines(happy)[0] and "name the feeling" not in guidance_lines(happy)[0]


def test_plan_to_dict_is_plain():
    import json

    data = plan(JOY, "I passed!").to_dict()
    assert json.loads(json.dumps(data))["tone"] == "celebrating"


@pytest.mark.slow
def test_real_model_scripted_conversation_changes_tone_with_the_mood():
    from .readings import real_emotion_model

    model = real_emotion_model()
    script = ["My grandmother died on Sunday.", "I keep thinking about her and crying.",
              "But guess what, I got into the nursing program she always wanted for me! I'm so happy!"]
    readings, plans = [], []
    for text in script:
        fused = from_text(model.read(text))
        plans.append(choose(fused, text=text, trajectory=readings, earlier_texts=script[:len(readings)]))
        readings.append(fused)
    assert plans[0].tone == "comforting" and plans[1].tone == "comforting"
    assert plans[-1].tone == "celebrating"
    assert "lifted since earlier" in plans[-1].why
