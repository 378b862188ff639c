import argparse
import json
from datetime import UTC, datetime, timedelta

import pytest

from kindred.affect.mood import BARS, by_day, draw_png, read_timeline, sparkline
from kindred.cli import mood_cmd

pytestmark = pytest.mark.both_engines

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


def _insert(store, user, rows):
    with store.transaction() as db:
        db.execute("INSERT INTO users(id, created_at) VALUES (?, ?) ON CONFLICT DO NOTHING", (user, NOW.isoformat()))
        for i, (when, valence, arousal, labels) in enumerate(rows):
            db.execute("INSERT INTO affect_readings(user_id, turn_id, valence, arousal, labels, created_at) "
                       "VALUES (?, ?, ?, ?, ?, ?)",
                       (user, f"t{i}", valence, arousal, json.dumps(labels), when.isoformat()))


def _week(store, user="local"):
    rows = []
    for day in range(7):
        when = NOW - timedelta(days=6 - day)
        rows.append((when, -0.8 + day * 0.25, 0.3 + day * 0.05, [["sadness", 0.8]] if day < 3 else ["joy"]))
        rows.append((when + timedelta(hours=1), -0.6 + day * 0.25, 0.3, [{"label": "neutral", "p": 0.7}]))
    _insert(store, user, rows)


def test_timeline_is_per_user_and_filtered_by_days(store):
    _week(store)
    _insert(store, "someone-else", [(NOW, 0.9, 0.9, ["joy"])])
    points = read_timeline(store, "local", now=NOW)
    assert len(points) == 14
    assert points[0].created_at < points[-1].created_at
    assert points[0].labels == ("sadness",)
    recent = read_timeline(store, "local", days=2, now=NOW + timedelta(minutes=1))
    assert 0 < len(recent) < 14
    assert read_timeline(store, "nobody") == []


def test_by_day_and_sparkline(store):
    _week(store)
    days = by_day(read_timeline(store, "local"))
    assert len(days) == 7
    assert days[0].valence < days[-1].valence
    assert days[0].top_label == "sadness" and days[-1].top_label == "joy"
    line = sparkline([d.valence for d in days])
    assert len(line) == 7 and set(line) <= set(BARS)
    assert line[0] < line[-1]
    assert sparkline([]) == ""


def test_png_is_drawn(store, tmp_path):
    _week(store)
    out = draw_png(read_timeline(store, "local"), tmp_path / "mood.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def _run(argv):
    parser = argparse.ArgumentParser()
    mood_cmd.register(parser.add_subparsers())
    args = parser.parse_args(["mood", *argv])
    return args.func(args)


def test_mood_command(store, tmp_path, capsys):
    _week(store)
    png = tmp_path / "out.png"
    assert _run(["--days", "0", "--out", str(png)]) == 0
    text = capsys.readouterr().out
    assert "14 readings over 7 days" in text
    assert any(bar in text for bar in BARS)
    assert png.is_file()


def test_mood_command_without_readings(settings, capsys):
    assert _run(["--no-png"]) == 0
    assert "No mood readings" in capsys.readouterr().out
