"""gzip for responses: which requests accept it, and gzip bodies spliced per response from
pieces compressed once (roadmap/fragments.py explains why the splice keeps CSRF tokens safe).

A body is plain segments with a secret (the same one, a CSRF token) between each two. The
segments are raw-deflated once, by one compressor that also sees a stand-in for each secret:
GAP bytes, of the secret's length, that no segment contains. Each piece ends on a sync flush
(byte-aligned, nothing pending) and the stand-in's own output is thrown away. A response is
then the gzip header, the pieces with the secret between them as a stored (uncompressed)
block, a final empty block, and the CRC and length of the plain text.

Why the decompressed text is right: the compressor's window holds the stand-in where the
decompressor's holds the secret, and both are the same length, so every distance agrees. A
back-reference copies bytes equal to the ones being encoded; those come from segments, which
hold no GAP byte, so no reference ever reaches into a stand-in (or a secret).

The compressor is ISA-L's (the `isal` package), not the standard library's zlib: at its level
2 it writes the same format, about as small (15.8 KB for the ~100 KB roadmap page, against
zlib's 15.7 KB at its level 2), three to four times faster, and every page after a tick is
compressed once (README, "Cached pages"). Nothing above depends on which compressor matched
what: only that it is a correct deflate compressor whose sync flush writes out all its input.
The standard library still inflates and works out CRCs.

Kept compressed only. A `Deflated` body keeps the pieces and, of each segment, its length and
CRC-32, not the segments themselves (a sixth of the bytes in a cache, and in each process's
memory with the local cache). The gzip trailer's CRC of the whole text is worked out from
those: CRC-32 is affine in its starting value, so the CRC of a segment continuing a running
CRC c is the CRC of as many zero bytes continuing c, XOR the same from 0, XOR the segment's
own CRC. The rare client that refuses gzip gets the segments back by inflating the pieces
with the stand-ins between them.
"""

import re
import secrets
import struct
import zlib
from dataclasses import dataclass

from django.middleware.gzip import GZipMiddleware
from isal import isal_zlib

GAP = b"\0"  # never in a page: forms refuse NUL, PostgreSQL cannot store it
LEVEL = 2  # ISA-L's levels are 0 to 3; measured on the ~100 KB roadmap page: README, "Cached pages"
QVALUE = re.compile(r"(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)\Z")
# The gzip header (RFC 1952): deflate, a file name follows, no time, unknown OS.
HEADER = bytes([0x1F, 0x8B, 8, 0x08, 0, 0, 0, 0, 0, 0xFF])
FINAL_EMPTY_BLOCK = b"\x03\x00"


def accepts_gzip(request):
    """Whether the request's Accept-Encoding allows gzip (RFC 9110, 12.5.3): named (or
    x-gzip, or `*`) with a weight above zero. `gzip;q=0` means no; a malformed weight, too."""
    weights = {}
    for item in request.headers.get("Accept-Encoding", "").split(","):
        coding, *parameters = (part.strip() for part in item.split(";"))
        weight = 1.0
        for parameter in parameters:
            name, __, value = parameter.partition("=")
            if name.strip().lower() == "q":
                value = value.strip()
                weight = float(value) if QVALUE.match(value) else 0.0
        coding = coding.lower()
        weights[coding] = min(weights.get(coding, weight), weight)
    for coding in ("gzip", "x-gzip", "*"):
        if coding in weights:
            return weights[coding] > 0
    return False


@dataclass(frozen=True)
class Deflated:
    """Segments raw-deflated for a secret of `secret_length` bytes between each two, with
    each segment's length and CRC-32 (of the segment alone): all a response needs."""

    pieces: tuple
    lengths: tuple
    crcs: tuple
    secret_length: int


def deflate_segments(segments, secret_length, level=LEVEL):
    """The segments as a Deflated body; None if a segment holds a GAP byte (then the splice
    would not be safe)."""
    if any(GAP in segment for segment in segments):
        return None
    compressor = isal_zlib.compressobj(level, isal_zlib.DEFLATED, -isal_zlib.MAX_WBITS)
    stand_in = GAP * secret_length
    pieces = []
    for number, segment in enumerate(segments):
        if number:
            compressor.compress(stand_in)
            compressor.flush(isal_zlib.Z_SYNC_FLUSH)  # output dropped: the secret goes here
        pieces.append(compressor.compress(segment) + compressor.flush(isal_zlib.Z_SYNC_FLUSH))
    return Deflated(
        pieces=tuple(pieces),
        lengths=tuple(map(len, segments)),
        crcs=tuple(map(zlib.crc32, segments)),
        secret_length=secret_length,
    )


def inflate_segments(deflated):
    """The segments of a Deflated body, for a client that does not accept gzip."""
    decompressor = zlib.decompressobj(-zlib.MAX_WBITS)
    stand_in = stored_block(GAP * deflated.secret_length)
    segments = []
    for number, piece in enumerate(deflated.pieces):
        if number:
            decompressor.decompress(stand_in)
        segments.append(decompressor.decompress(piece))
    return tuple(segments)


_ZEROS = bytes(1 << 16)


def _continued(crc, length, own):
    """The CRC-32 of a text continuing one whose CRC is `crc`, from the text's length and
    its own CRC (from 0): see the module's docstring."""
    shifted, start = crc, 0
    while length:
        chunk = memoryview(_ZEROS)[: min(length, len(_ZEROS))]
        shifted, start = zlib.crc32(chunk, shifted), zlib.crc32(chunk, start)
        length -= len(chunk)
    return shifted ^ start ^ own


def stored_block(data):
    """`data` as a non-final stored deflate block: its length is all it tells."""
    return struct.pack("<BHH", 0, len(data), 0xFFFF ^ len(data)) + data


def gzip_body(deflated, secret):
    """The gzip member whose text is the segments joined by `secret` (bytes), from a Deflated
    body made for a secret of this length."""
    if len(secret) != deflated.secret_length:
        raise ValueError("The secret is not as long as the body was deflated for.")
    crc = 0
    for number, (length, own) in enumerate(zip(deflated.lengths, deflated.crcs, strict=True)):
        if number:
            crc = zlib.crc32(secret, crc)
        crc = _continued(crc, length, own)
    pieces = deflated.pieces
    size = sum(deflated.lengths) + len(secret) * (len(pieces) - 1)
    # Heal the BREACH, as Django's GZipMiddleware does: a file name of random length.
    name = b"a" * secrets.randbelow(GZipMiddleware.max_random_bytes) + b"\0"
    return b"".join(
        [
            HEADER,
            name,
            stored_block(secret).join(pieces),
            FINAL_EMPTY_BLOCK,
            struct.pack("<II", crc, size & 0xFFFFFFFF),
        ]
    )
