"""Reading Wyoming frames: good ones become events, bad ones are told apart from the end of the stream."""
from __future__ import annotations

import asyncio
import json

import pytest

pytest.importorskip("wyoming", reason="needs the wyoming extra: pip install 'kindred[wyoming]'")

from kindred.wyoming.framing import MAX_PAYLOAD_BYTES, Malformed, read_frame  # noqa: E402


def _reader(raw: bytes) -> asyncio.StreamReader:
    reader = asyncio.StreamReader()
    reader.feed_data(raw)
    reader.feed_eof()
    return reader


def _frame(header: dict, data: bytes = b"", payload: bytes = b"") -> bytes:
    return json.dumps(header).encode() + b"\n" + data + payload


async def test_an_event_with_extra_data_and_a_payload_reads_whole():
    extra = json.dumps({"rate": 16000, "width": 2}).encode()
    raw = _frame({"type": "audio-chunk", "data": {"channels": 1}, "data_length": len(extra), "payload_length": 4},
                 extra, b"\x01\x00\x02\x00")
    event = await read_frame(_reader(raw))
    assert event.type == "audio-chunk" and event.data == {"channels": 1, "rate": 16000, "width": 2}
    assert event.payload == b"\x01\x00\x02\x00"


async def test_a_line_that_is_not_json_is_malformed_and_the_next_event_still_reads():
    reader = _reader(b"hello there\n" + _frame({"type": "describe"}))
    first = await read_frame(reader)
    assert isinstance(first, Malformed) and not first.fatal and "not JSON" in first.reason
    assert (await read_frame(reader)).type == "describe"
    assert await read_frame(reader) is None  # the end of the stream is None, not Malformed


@pytest.mark.parametrize("header", [[1, 2], {"data": {}}, {"type": ""}, {"type": "x", "data": [1]}])
async def test_a_header_that_is_not_an_event_is_malformed(header):
    found = await read_frame(_reader(_frame(header)))
    assert isinstance(found, Malformed) and not found.fatal


async def test_broken_extra_data_is_skipped_with_its_payload_so_the_stream_stays_in_step():
    raw = _frame({"type": "audio-chunk", "data_length": 5, "payload_length": 3}, b"{oops", b"abc")
    reader = _reader(raw + _frame({"type": "describe"}))
    assert isinstance(await read_frame(reader), Malformed)
    assert (await read_frame(reader)).type == "describe"


@pytest.mark.parametrize("length", [-1, "12", True, MAX_PAYLOAD_BYTES + 1])
async def test_lengths_that_cannot_be_trusted_end_the_connection(length):
    found = await read_frame(_reader(_frame({"type": "audio-chunk", "payload_length": length})))
    assert isinstance(found, Malformed) and found.fatal


async def test_a_frame_cut_short_is_the_end_of_the_stream():
    assert await read_frame(_reader(_frame({"type": "audio-chunk", "payload_length": 10}, payload=b"abc"))) is None
