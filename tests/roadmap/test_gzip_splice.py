"""gzip bodies spliced from pieces compressed once (config/encoding.py): they decompress to
the page with the response's token, and the token's bytes never depend on the page."""

import gzip
import secrets
import string

import pytest
from django.test import RequestFactory
from hypothesis import given
from hypothesis import strategies as st

from config import encoding

TOKEN_LENGTH = 64


def token():
    return "".join(secrets.choice(string.ascii_letters) for __ in range(TOKEN_LENGTH)).encode()


def splice(segments, secret):
    return encoding.gzip_body(encoding.deflate_segments(segments, len(secret)), secret)


SEGMENTS = st.lists(st.binary().filter(lambda data: b"\0" not in data), min_size=1, max_size=6)


@given(SEGMENTS, st.binary(min_size=1, max_size=100).filter(lambda data: b"\0" not in data))
def test_a_spliced_body_decompresses_to_the_segments_joined_by_the_secret(segments, secret):
    # gzip.decompress checks the trailer too: the CRC worked out from the segments' own CRCs
    assert gzip.decompress(splice(segments, secret)) == secret.join(segments)


@given(SEGMENTS, st.integers(min_value=1, max_value=100))
def test_the_segments_come_back_from_the_compressed_body_alone(segments, secret_length):
    deflated = encoding.deflate_segments(segments, secret_length)
    assert encoding.inflate_segments(deflated) == tuple(segments)


def test_long_segments_keep_the_crc_right():
    # Longer than the zero bytes the CRC is continued over in one go.
    page = [secrets.token_bytes(200_000).replace(b"\0", b"x"), b"<p>", b"y" * 70_000]
    secret = token()
    assert gzip.decompress(splice(page, secret)) == secret.join(page)


def test_a_body_is_kept_without_its_plain_text():
    page = [b"<form>" + b"milestone " * 5000, b"</form>" + b"milestone " * 5000]
    deflated = encoding.deflate_segments(page, TOKEN_LENGTH)
    kept = sum(map(len, deflated.pieces))
    assert kept < sum(map(len, page)) / 20
    assert b"milestone " * 100 not in b"".join(deflated.pieces)


def test_a_secret_of_another_length_is_refused():
    deflated = encoding.deflate_segments([b"a", b"b"], TOKEN_LENGTH)
    with pytest.raises(ValueError, match="not as long"):
        encoding.gzip_body(deflated, b"short")


def test_text_repeated_across_the_secret_still_decompresses_right():
    # Later segments refer back across the secret's place into earlier ones.
    page = [b"<form>" + b"milestone " * 500, b"</form>" + b"milestone " * 500, b"<p>end"]
    secret = token()

    body = splice(page, secret)

    assert gzip.decompress(body) == secret.join(page)
    assert len(body) < len(secret.join(page)) / 10


def test_a_page_holding_a_nul_byte_is_not_spliced():
    assert encoding.deflate_segments([b"a\0b", b"c"], TOKEN_LENGTH) is None


def test_a_reflected_guess_of_the_token_does_not_change_the_size(monkeypatch):
    monkeypatch.setattr(encoding.secrets, "randbelow", lambda limit: 0)
    secret, other = token(), token()
    # The attacker makes the page show a guess; the right guess is the token itself.
    page = [b"<p>Search results for: " + secret + b"</p><form>", b"</form>" + b"x" * 2000]
    deflated = encoding.deflate_segments(page, TOKEN_LENGTH)

    right = encoding.gzip_body(deflated, secret)
    wrong = encoding.gzip_body(deflated, other)

    assert len(right) == len(wrong)
    # Compressing the whole page with its token, as GZipMiddleware would, does leak it.
    assert len(gzip.compress(secret.join(page))) < len(gzip.compress(other.join(page)))


def test_the_secret_travels_in_a_stored_block_of_fixed_size():
    secret = token()
    block = encoding.stored_block(secret)

    assert block == bytes([0, 64, 0, 0xBF, 0xFF]) + secret
    assert block in splice([b"before", b"after"], secret)


def test_every_body_has_a_random_length_file_name_like_djangos():
    bodies = {splice([b"a" * 300, b"b" * 300], token())[:120].index(b"\0", 10) for __ in range(30)}
    assert len(bodies) > 1


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ("gzip", True),
        ("gzip, deflate, br, zstd", True),
        ("GZIP;Q=0.5", True),
        ("br;q=1.0, gzip;q=0.8, *;q=0.1", True),
        ("x-gzip", True),
        ("*", True),
        ("identity, *;q=0.001", True),
        ("", False),
        ("identity", False),
        ("br, deflate", False),
        ("gzip;q=0", False),
        ("gzip; q=0.000", False),
        ("*;q=0", False),
        ("gzip;q=0, *", False),
        ("br, *;q=1, gzip;q=0", False),
        ("gzip;q=nan", False),
        ("gzip;q=2", False),
        ("gzip;q=", False),
        ("gzipped", False),
        (";;,,=;q", False),
    ],
)
def test_accept_encoding_is_read_as_rfc_9110_says(header, accepted):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=header)
    assert encoding.accepts_gzip(request) is accepted


@given(st.text())
def test_any_accept_encoding_header_gets_an_answer(header):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=header)
    assert encoding.accepts_gzip(request) in (True, False)
