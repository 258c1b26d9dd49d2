"""Text from outside, made fit to store and to print in any XML: one rule for every boundary.

XML 1.0 forbids C0 control characters other than tab, newline and carriage return, lone
surrogates, U+FFFE and U+FFFF. One such character in a stored title made every Atom
feed, SVG or chart that printed it fail, so forms, feed entries, CLI arguments and
uploaded rows strip them before anything is stored, and the XML writers strip them again
for rows stored before that.
"""

from __future__ import annotations

import re

_C0_BYTES = bytes(code for code in range(0x20) if code not in (0x09, 0x0A, 0x0D))
_FORBIDDEN = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def strip_forbidden_chars(text: str | None) -> str | None:
    """Return text without the characters XML 1.0 forbids (None stays None)."""
    if not text:
        return text
    # Fast paths, at C speed, for the usual text holding none (every pledge CSV line
    # passes here): ASCII can only hold C0 controls, and printable text holds no
    # control, surrogate or noncharacter.
    if text.isascii():
        data = text.encode("ascii")
        if len(data.translate(None, _C0_BYTES)) == len(data):
            return text
    elif text.rstrip("\r\n").isprintable():
        return text
    return _FORBIDDEN.sub("", text)
