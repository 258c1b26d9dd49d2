"""Spot XML documents that declare entities, before any XML parser sees them.

feedparser's lenient parser expands internal entities, which is how billion-laughs
and quadratic-blowup documents eat memory and CPU. Legitimate feeds do not declare
entities, so `parse_feed` refuses any document whose DOCTYPE does.

The check runs on the raw bytes (a regex scan, no decoding) for every ASCII-compatible
encoding. Documents in UTF-16/32 are scanned with their NUL bytes removed, which turns
their ASCII markup into plain ASCII; EBCDIC documents and any declared encoding that is
not ASCII-compatible (UTF-7, for one) are decoded first, because a parser honouring the
declaration would see markup that the raw bytes hide.
"""

from __future__ import annotations

import codecs
import re

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})""")
_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE)
_EBCDIC_XML = b"\x4c\x6f\xa7\x94"  # "<?xm" in EBCDIC, the marker feedparser honours
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


def _scan(data: bytes) -> bool:
    doctype = _DOCTYPE.search(data)
    return doctype is not None and _ENTITY.search(data, doctype.start()) is not None


def _declared_encodings(head: bytes, content_type: str | None) -> list[str]:
    names = []
    if content_type and (match := _CHARSET.search(content_type)):
        names.append(match.group(1))
    for candidate in (head, head.replace(b"\0", b"")):
        for bom in (*_BOMS, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            candidate = candidate.removeprefix(bom)
        if match := _XML_ENCODING.match(candidate):
            names.append(match.group(1).decode("ascii"))
    return names


def _ascii_compatible(encoding: str) -> bool:
    try:
        return "<!ENTITY".encode(encoding) == b"<!ENTITY"
    except (LookupError, UnicodeError):
        # An encoding nothing can decode cannot smuggle markup past a parser either.
        return True


def declares_entities(body: bytes, *, content_type: str | None = None) -> bool:
    """Return True when `body` has a DOCTYPE whose internal subset declares entities."""
    if _scan(body):
        return True
    head = body[:256]
    if b"\0" in head[:64] and _scan(body.replace(b"\0", b"")):
        return True
    if head.startswith(_EBCDIC_XML) and _scan(body.decode("cp037").encode("utf-8")):
        return True
    for encoding in _declared_encodings(head, content_type):
        if not _ascii_compatible(encoding):
            try:
                decoded = body.decode(encoding, "replace")
            except LookupError:
                continue
            if _scan(decoded.encode("utf-8", "replace")):
                return True
    return False
