"""`kindred recommend` and `kindred checkins`, through their argparse front ends."""
import argparse
import json

import pytest

from kindred.cli import checkins_cmd, recommend_cmd


def run_cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="kindred")
    sub = parser.add_subparsers(dest="command")
    recommend_cmd.register(sub)
    checkins_cmd.register(sub)
    args = parser.parse_args(argv)
    return args.func(args)


def test_recommend_then_tell_how_it_went(home, capsys):
    assert run_cli("recommend", "--valence", "-0.6", "--feeling", "nervousness", "--json") == 0
    rec = json.loads(capsys.readouterr().out)
    assert rec["title"] and rec["why"]
    assert run_cli("recommend", "--outcome", str(rec["id"]), "helped") == 0
    assert run_cli("recommend", "--history") == 0
    assert "helped" in capsys.readouterr().out
    assert run_cli("recommend", "--outcome", str(rec["id"]), "meh") == 2


def test_recommend_without_a_mood_still_answers_an_explicit_ask(home, capsys):
    assert run_cli("recommend") == 0
    assert "kindred recommend --outcome" in capsys.readouterr().out


def test_checkins_list_add_cancel_and_settings(home, capsys):
    assert run_cli("checkins") == 0
    assert "off" in capsys.readouterr().out  # opt-in: off until turned on
    assert run_cli("checkins", "add", "dentist tomorrow") == 0
    assert run_cli("checkins", "add", "nothing to see") == 1
    assert run_cli("checkins", "on") == 0
    assert run_cli("checkins", "quiet", "23:00-7:30") == 0
    assert run_cli("checkins", "cap", "2") == 0
    assert run_cli("checkins", "snooze", "2d") == 0
    capsys.readouterr()
    assert run_cli("checkins", "list", "--json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["enabled"] and listed["quiet"] == ["23:00", "07:30"] and listed["daily_cap"] == 2
    [checkin] = listed["checkins"]
    assert "dentist" in checkin["message"]
    assert run_cli("checkins", "cancel", str(checkin["id"])) == 0
    assert run_cli("checkins", "cancel") == 2
    assert run_cli("checkins", "quiet", "late") == 2
    assert run_cli("checkins", "stop") == 0


@pytest.mark.parametrize("duration, code", [("3h", 0), ("off", 0), ("soon", 2)])
def test_snooze_forms(home, duration, code):
    assert run_cli("checkins", "snooze", duration) == code
