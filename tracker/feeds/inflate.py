"""Decompress an HTTP body chunk by chunk without ever inflating past a limit."""

from __future__ import annotations

import zlib


class BodyTooLarge(Exception):
    """Raised as soon as the decoded body would pass its limit."""


class UnsupportedEncoding(Exception):
    """Raised for a Content-Encoding this module cannot decode."""


class BoundedInflater:
    """Decode identity, gzip or deflate content, counting the decoded bytes."""

    def __init__(self, content_encoding: str | None, *, limit: int) -> None:
        codings = [
            coding.strip().lower()
            for coding in (content_encoding or "").split(",")
            if coding.strip().lower() not in ("", "identity")
        ]
        if len(codings) > 1 or (codings and codings[0] not in ("gzip", "x-gzip", "deflate")):
            raise UnsupportedEncoding(f"unsupported content encoding {content_encoding!r}")
        self._coding = codings[0] if codings else None
        self._inflater: zlib._Decompress | None = None
        self.limit = limit
        self.size = 0

    def _start(self, data: bytes) -> zlib._Decompress:
        if self._coding == "deflate":
            # "deflate" should be zlib-wrapped, but some servers send a raw stream.
            wrapped = len(data) >= 2 and data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            return zlib.decompressobj(15 if wrapped else -15)
        return zlib.decompressobj(31)

    def decode(self, data: bytes) -> bytes:
        """Return the decoded bytes of one raw chunk, refusing to pass the limit."""
        if self._coding is None:
            out = data
        else:
            if self._inflater is None:
                self._inflater = self._start(data)
            # max_length stops inflation one byte past the limit: a gzip bomb costs at
            # most `limit` bytes of memory, however large it claims to expand.
            try:
                out = self._inflater.decompress(data, self.limit - self.size + 1)
            except zlib.error as exc:
                raise ValueError(f"corrupt {self._coding} body: {exc}") from exc
        self.size += len(out)
        if self.size > self.limit:
            raise BodyTooLarge(f"body larger than {format_size(self.limit)}")
        return out


def format_size(size: int) -> str:
    """Return a byte count as a short human figure: 15 MiB, 64 KiB, 900 bytes."""
    for unit, factor in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"
