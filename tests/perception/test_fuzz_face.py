"""Fuzzing what the camera and `kindred face` accept: any bytes end in a FaceReading or a coded
InputError; a small file declaring a huge image (a decompression bomb) is refused before decoding."""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kindred.errors import InputError, KindredError
from kindred.perception.face import MAX_IMAGE_PIXELS, check_image_bytes
from kindred.perception.image_size import declared_size

ASTRONAUT = (Path(__file__).parent / "data" / "astronaut_face.jpg").read_bytes()
FUZZ = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header(width: int, height: int) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))


def test_a_decompression_bomb_is_refused_from_its_header():
    bomb = png_header(30_000, 30_000) + png_chunk(b"IDAT", zlib.compress(b"\x00" * 30_001 * 64)) + png_chunk(
        b"IEND", b"")
    with pytest.raises(InputError) as refused:
        check_image_bytes(bomb)
    assert refused.value.code == "image-too-large" and 30_000 * 30_000 > MAX_IMAGE_PIXELS


def test_the_real_photo_passes_the_header_check():
    assert declared_size(ASTRONAUT) == (240, 240)
    check_image_bytes(ASTRONAUT)


@FUZZ
@given(st.binary(max_size=4096))
def test_the_header_reader_never_crashes(data):
    size = declared_size(data)
    assert size is None or (len(size) == 2 and all(isinstance(v, int) and v >= 0 for v in size))


@FUZZ
@given(st.integers(0, 2**32 - 1), st.integers(0, 2**32 - 1))
def test_any_declared_png_size_is_checked_not_decoded(width, height):
    try:
        check_image_bytes(png_header(width, height) + png_chunk(b"IEND", b""))
    except InputError as exc:
        assert exc.code in ("image-too-large", "input-invalid", "image-unreadable")


@pytest.fixture(scope="module")
def reader():
    from kindred.perception.face import load_face_reader

    try:
        return load_face_reader()
    except KindredError as exc:  # the face extra is installed by scripts/install; say why when it is not
        pytest.skip(f"face reader unavailable: {exc.code}")


def test_the_real_reader_reads_any_bytes_or_refuses_them(reader):
    @FUZZ
    @given(st.one_of(
        st.binary(max_size=2048),
        st.tuples(st.integers(2, len(ASTRONAUT)), st.lists(st.tuples(st.integers(0, len(ASTRONAUT) - 1),
                                                                     st.integers(0, 255)), max_size=6))
        .map(lambda cut_flips: _damaged(ASTRONAUT[:cut_flips[0]], cut_flips[1])),
    ))
    def read(data):
        try:
            reading = reader.read(data)
        except InputError as exc:
            assert exc.code in ("image-unreadable", "image-too-large", "input-invalid")
            return
        assert reading.image_size[0] > 0 and 0.0 <= reading.confidence <= 1.0
    read()


def _damaged(data: bytes, flips) -> bytes:
    out = bytearray(data)
    for index, value in flips:
        if index < len(out):
            out[index] = value
    return bytes(out)
