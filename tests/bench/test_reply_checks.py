"""The bench's checks on one reply, written apart from the guard: each can fail, and does on the bad replies
the issue quoted."""
from kindred.bench.reply_checks import Exchange, check, longest_copied_chars, longest_copied_words


def failed(**kwargs) -> set[str]:
    return {name for name, why in check(Exchange(**kwargs)).items() if why}


def test_the_replies_quoted_in_the_issue_fail():
    cat = ("It's okay to feel sad and grief, but I can help you cope with it. Cats are very loyal animals who love "
           "their owners, so they would be a great source of comfort for you right now. Remember that every cat is "
           "different in how they respond to death, so your feelings may vary from person to person. It's important "
           "to give yourself time and space to process your emotions. You can try talking with friends or family "
           "about what happened, but don't hesitate to reach out to a professional if it feels like you need help.")
    assert {"length", "no_help_desk", "plan_shows"} <= failed(
        language="en", register="", person="My cat died this morning.", reply=cat, flags=frozenset({"loss"}),
        strategies=("reflection_of_feelings",))
    terminal = ("안녕하세요! 왜서 그런가요? 퇴근하고 집에 오면 아무도 없어. "
                "어떤 사람과 함께 일상이 더 행복하도록 도와드릴까요?")
    assert {"register", "no_echo", "no_help_desk", "manners"} <= failed(
        language="ko", register="banmal", person="요즘 너무 외로워. 퇴근하고 집에 오면 아무도 없어.", reply=terminal)
    page = "저는 너무 외로워서 퇴근하고 집에 오면 아무도 없어."
    lonely = "요즘 너무 외로워. 퇴근하고 집에 오면 아무도 없어."
    assert "no_echo" in failed(language="ko", register="banmal", person=lonely, reply=page)


def test_a_friend_s_reply_passes_every_check():
    assert not failed(language="en", register="", person="My cat died this morning.",
                      reply="Oh no, I'm so sorry. Losing a little friend like that hurts so much. I'm right here.",
                      flags=frozenset({"loss"}), strategies=("reflection_of_feelings", "affirmation_and_reassurance"))
    friend = "아이고, 혼자 있는 저녁이 제일 길게 느껴지지. 많이 허전했겠다. 요즘 누구랑 제일 자주 연락해?"
    assert not failed(language="ko", register="banmal", person="요즘 너무 외로워. 퇴근하고 집에 오면 아무도 없어.",
                      reply=friend, strategies=("reflection_of_feelings", "question"))


def korean(person: str, reply: str, register: str = "banmal") -> set[str]:
    return failed(language="ko", register=register, person=person, reply=reply)


def test_language_register_and_script():
    assert "language" in korean("피곤해", "많이 피곤했겠다. Take a rest.")
    assert "language" in korean("피곤해", "많이 피곤했겠다. 休息해.")
    assert "language" not in korean("KTX 타고 가", "KTX 안에서 좀 쉬어.")
    assert "register" in korean("피곤해요", "많이 피곤했겠다.", "jondaetmal")
    assert "register" not in korean("피곤해요", "우와! 많이 피곤하셨겠어요.", "jondaetmal")
    assert "register" in korean("피곤해", "많이 피곤하셨겠어요.")
    assert "register" in korean("뭐해?", "당신이 말하는 건 잘 모르겠어.")
    assert "register" in korean("뭐하세요?", "당신은 오늘 어떠셨어요?", "jondaetmal")


def test_length_manners_and_plan():
    long = "That is hard. " * 5
    assert "length" in failed(language="en", register="", person="ugh", reply=long)
    assert "length" not in failed(language="en", register="", person="tell me everything", reply=long,
                                  flags=frozenset({"asks_more"}))
    assert "manners" in failed(language="en", register="", person="ok", reply="Hi! How are you?", turn_index=2)
    assert "manners" in failed(language="en", register="", person="ok", reply="Oh? Why? What happened?")
    assert "plan_shows" in failed(language="en", register="", person="hm", reply="That's nice.",
                                  strategies=("question",))
    assert "plan_shows" in failed(language="en", register="", person="ugh", reply="You could try a walk.")
    assert "plan_shows" not in failed(language="en", register="", person="what should I do?",
                                      reply="That's tough. You could try a walk.", flags=frozenset({"asks_suggestion"}))


def test_copied_runs():
    assert longest_copied_chars("퇴근하고 집에 오면", "퇴근하고, 집에 오면!") == 8
    assert longest_copied_words("he yelled at me in front of", "my boss yelled at me in front of everyone") == 6
