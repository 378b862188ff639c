"""The voice bench's stage breakdown: consecutive marks, what is left over, medians."""
from kindred.bench.voice_stages import breakdown_columns, breakdown_row, median_stages, turn_stages


def _marks(**offsets):
    return {name: 100.0 + seconds for name, seconds in offsets.items()}


def test_stages_add_up_to_the_whole_latency():
    marks = _marks(speech_end=0.0, endpoint=0.6, transcript=0.7, prompt_ready=0.8, first_token=1.1,
                   first_phrase=1.3, tts_started=1.32, tts_done=1.7)
    stages = turn_stages(marks, first_audio_at=101.75)
    assert round(stages["endpoint_wait"], 3) == 0.6 and round(stages["stt_tail"], 3) == 0.1
    assert round(stages["llm_first_token"], 3) == 0.3 and round(stages["tts_first_phrase"], 3) == 0.38
    assert round(stages["other"], 3) == 0.07  # queue hand-off before TTS and the first slice after it
    assert round(stages["total"], 3) == 1.75
    parts = [v for k, v in stages.items() if k != "total"]
    assert abs(sum(parts) - stages["total"]) < 1e-9


def test_a_reply_without_tokens_leaves_those_stages_empty():
    stages = turn_stages(_marks(speech_end=0, endpoint=0.6, transcript=0.9, tts_started=1.0, tts_done=1.4), 101.5)
    assert stages["llm_first_token"] is None and stages["turn_prep"] is None
    assert round(stages["other"], 3) == round(1.5 - 0.6 - 0.3 - 0.4, 3)
    assert turn_stages({}, None)["total"] is None


def test_median_row_lines_up_with_its_columns():
    turns = [{"endpoint_wait": 0.6, "total": 2.0}, {"endpoint_wait": 0.8, "total": 3.0},
             {"endpoint_wait": 0.7, "stt_tail": 0.2, "total": 4.0}]
    medians = median_stages(turns)
    assert medians["endpoint_wait"] == 0.7 and medians["stt_tail"] == 0.2 and medians["total"] == 3.0
    assert medians["llm_first_token"] is None
    assert len(breakdown_row("en", "streaming", medians)) == len(breakdown_columns())
