"""Build an e-mail's bytes: plain text and HTML parts, the RFC 8058 unsubscribe headers.

The email package builds a skeleton once per kind of letter (sender, subject, language,
parts): its headers folded and encoded, its MIME boundaries, with stand-ins for what each
message has of its own (To, Message-ID, Date, the unsubscribe link, the bodies). A message
is that skeleton with the stand-ins filled: the bodies quoted-printable in C (binascii),
everything else as the email package wrote it. Building each message with the email
generator cost 6-8 ms, most of it encoding the same headers again (issue 15's benchmark).
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import uuid
from dataclasses import dataclass, replace
from datetime import datetime
from email.charset import QP, Charset
from email.generator import BytesGenerator
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, parseaddr
from functools import cached_property, lru_cache

_UTF8 = Charset("utf-8")
_UTF8.body_encoding = QP  # quoted-printable: the text stays readable in the raw message


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message: its name, bytes and application/ subtype."""

    filename: str
    data: bytes
    subtype: str = "pdf"  # application/pdf

    @cached_property
    def encoded(self) -> bytes:
        """Return the data in base64, CRLF lines: encoded once for every message."""
        # Without the last line end: the generator writes one after the part's stand-in.
        return base64.encodebytes(self.data).replace(b"\n", b"\r\n").removesuffix(b"\r\n")


@dataclass(frozen=True)
class Letter:
    """What one message says: subject, text, optional HTML, and where to unsubscribe."""

    subject: str
    text: str
    html: str | None = None
    language: str = "en"
    unsubscribe_url: str | None = None  # https: the List-Unsubscribe header and the link
    attachments: tuple[Attachment, ...] = ()


def with_link(letter: Letter, *, mark: str, link: str) -> Letter:
    """Return a letter rendered once for many with mark replaced by one reader's link."""
    html = letter.html.replace(mark, link) if letter.html is not None else None
    return replace(letter, text=letter.text.replace(mark, link), html=html, unsubscribe_url=link)


def message_id(outbox_id: int, domain: str) -> str:
    """Return the Message-ID of an outbox row: the same on every attempt to send it."""
    # A message sent twice (see tracker.mail.outbox) carries one Message-ID, which lets
    # mail servers and readers drop the second copy.
    return f"<outbox-{outbox_id}@{domain}>"


def build_message(
    letter: Letter, *, sender: str, recipient: str, message_id: str, date: datetime
) -> bytes:
    """Return the message as bytes ready for SMTP (CRLF line ends, headers never folded)."""
    to, unsubscribe = _address(recipient), letter.unsubscribe_url
    files = tuple((attachment.filename, attachment.subtype) for attachment in letter.attachments)
    shape = (sender, letter.subject, letter.language, letter.html is not None, files)
    if all(_plain(value) for value in (to, message_id, unsubscribe or "")):
        skeleton = _skeleton(*shape, unsubscribe is not None)
    else:
        # An address with a non-ASCII name: the email package encodes that header itself.
        skeleton = _build_skeleton(*shape, unsubscribe, to=to, message_id=message_id, date=date)
    values = {
        "to": to.encode("ascii", "replace"),
        "message-id": message_id.encode("ascii", "replace"),
        "date": format_datetime(date).encode("ascii"),
        "unsubscribe": (unsubscribe or "").encode("ascii", "replace"),
        "text": _quoted_printable(letter.text),
        "html": _quoted_printable(letter.html or ""),
    }
    for number, attachment in enumerate(letter.attachments):
        values[f"file{number}"] = attachment.encoded
    return b"".join(values[piece] if type(piece) is str else piece for piece in skeleton)


# A stand-in is "@@tracker-<slot>-<nonce>@@": safe in a header and in quoted-printable as it
# is, and the nonce keeps a subject that spells one out from being taken for it.
_NONCE = uuid.uuid4().hex
_STAND_IN = re.compile(rb"@@tracker-([a-z0-9-]+)-" + _NONCE.encode("ascii") + rb"@@")


def _stand_in(slot: str) -> str:
    return f"@@tracker-{slot}-{_NONCE}@@"


@lru_cache(maxsize=64)
def _skeleton(sender, subject, language, has_html, files, has_unsubscribe) -> tuple:
    """Return the skeleton of every message of this shape (built once)."""
    unsubscribe = _stand_in("unsubscribe") if has_unsubscribe else None
    return _build_skeleton(
        sender, subject, language, has_html, files, unsubscribe,
        to=_stand_in("to"), message_id=_stand_in("message-id"), date=_stand_in("date"),
    )  # fmt: skip


def _build_skeleton(
    sender: str,
    subject: str,
    language: str,
    has_html: bool,
    files: tuple[tuple[str, str], ...],
    unsubscribe: str | None,
    *,
    to: str,
    message_id: str,
    date: datetime | str,
) -> tuple[bytes | str, ...]:
    """Return the message's bytes between its slots, and the slots' names (str)."""
    letter = Letter(
        subject=subject,
        text=_stand_in("text"),
        html=_stand_in("html") if has_html else None,
        language=language,
        unsubscribe_url=unsubscribe,
        attachments=tuple(
            Attachment(filename=name, data=b"", subtype=subtype) for name, subtype in files
        ),
    )
    data = _generate(letter, sender=sender, to=to, message_id=message_id, date=date)
    pieces = _STAND_IN.split(data)  # bytes, slot, bytes, slot, ..., bytes
    return tuple(
        piece.decode("ascii") if index % 2 else piece for index, piece in enumerate(pieces)
    )


def _quoted_printable(text: str) -> bytes:
    """Return text as the body of a quoted-printable part, in CRLF lines."""
    # A lone CR counts as a line end, as the email package reads it.
    lines = text.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
    return binascii.b2a_qp(lines).replace(b"\n", b"\r\n")


def _plain(value: str) -> bool:
    """Tell whether a header value goes into a message as it is (ASCII, one line)."""
    return value.isascii() and "\r" not in value and "\n" not in value


def _generate(letter: Letter, *, sender: str, to: str, message_id: str, date) -> bytes:
    """Return the message as the email package writes it, each file's data a stand-in."""
    # The compat32 classes: building with email.policy.default parsed and refolded every
    # header again.
    text = MIMEText(letter.text, "plain", _UTF8)
    if letter.html is None:
        message = text
    else:
        message = MIMEMultipart("alternative")
        message.attach(text)
        message.attach(MIMEText(letter.html, "html", _UTF8))
    if letter.attachments:
        message = _with_attachments(message, letter.attachments)
    message["From"] = _address(sender)
    message["To"] = to
    message["Subject"] = _header(letter.subject)
    message["Date"] = date if isinstance(date, str) else format_datetime(date)
    message["Message-ID"] = message_id
    message["Content-Language"] = letter.language
    message["Auto-Submitted"] = "auto-generated"  # no vacation replies to a robot
    if letter.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{letter.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    # maxheaderlen=0: a long List-Unsubscribe URL stays on one line (RFC 5322 allows 998),
    # never an RFC 2047 encoded word no mail provider would read as a URL.
    out = io.BytesIO()
    BytesGenerator(out, mangle_from_=False, maxheaderlen=0).flatten(message, linesep="\r\n")
    return out.getvalue()


def _with_attachments(body, attachments: tuple[Attachment, ...]) -> MIMEMultipart:
    """Return multipart/mixed: the text (and HTML) first, then each file."""
    mixed = MIMEMultipart("mixed")
    mixed.attach(body)
    for number, attachment in enumerate(attachments):
        part = MIMEBase("application", attachment.subtype)
        # A stand-in, filled with the bytes encoded once: the generator went through a
        # 1 MB PDF's base64 line by line, 230 ms per message.
        part.set_payload(_stand_in(f"file{number}"))
        part["Content-Transfer-Encoding"] = "base64"
        part.add_header("Content-Disposition", "attachment", filename=attachment.filename)
        mixed.attach(part)
    return mixed


def _header(text: str) -> str | Header:
    return text if text.isascii() else Header(text, "utf-8")


def _address(text: str) -> str:
    if "<" not in text and '"' not in text and " " not in text:
        return text  # a bare address, as every subscriber's is: nothing to parse
    name, address = parseaddr(text)
    return formataddr((name, address), charset="utf-8") if name else address
