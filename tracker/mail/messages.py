"""Build an e-mail's bytes: plain text and HTML parts, the RFC 8058 unsubscribe headers."""

from __future__ import annotations

import base64
import io
from dataclasses import dataclass
from datetime import datetime
from email.charset import QP, Charset
from email.generator import BytesGenerator
from email.header import Header
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, parseaddr
from functools import cached_property

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
        return base64.encodebytes(self.data).replace(b"\n", b"\r\n")


@dataclass(frozen=True)
class Letter:
    """What one message says: subject, text, optional HTML, and where to unsubscribe."""

    subject: str
    text: str
    html: str | None = None
    language: str = "en"
    unsubscribe_url: str | None = None  # https: the List-Unsubscribe header and the link
    attachments: tuple[Attachment, ...] = ()


def message_id(outbox_id: int, domain: str) -> str:
    """Return the Message-ID of an outbox row: the same on every attempt to send it."""
    # A message sent twice (see tracker.mail.outbox) carries one Message-ID, which lets
    # mail servers and readers drop the second copy.
    return f"<outbox-{outbox_id}@{domain}>"


def build_message(
    letter: Letter, *, sender: str, recipient: str, message_id: str, date: datetime
) -> bytes:
    """Return the message as bytes ready for SMTP (CRLF line ends, headers never folded)."""
    # The compat32 classes: building with email.policy.default parsed and refolded every
    # header again, the largest cost of sending a report to thousands of subscribers.
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
    message["To"] = _address(recipient)
    message["Subject"] = _header(letter.subject)
    message["Date"] = format_datetime(date)
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
    data = out.getvalue()
    for number, attachment in enumerate(letter.attachments):
        data = data.replace(_placeholder(number), attachment.encoded, 1)
    return data


def _with_attachments(body, attachments: tuple[Attachment, ...]) -> MIMEMultipart:
    """Return multipart/mixed: the text (and HTML) first, then each file."""
    mixed = MIMEMultipart("mixed")
    mixed.attach(body)
    for number, attachment in enumerate(attachments):
        part = MIMEBase("application", attachment.subtype)
        # A one-line stand-in, replaced by the bytes encoded once: the generator went
        # through a 1 MB PDF's base64 line by line, 230 ms per message.
        part.set_payload(_placeholder(number).decode("ascii"))
        part["Content-Transfer-Encoding"] = "base64"
        part.add_header("Content-Disposition", "attachment", filename=attachment.filename)
        mixed.attach(part)
    return mixed


def _placeholder(number: int) -> bytes:
    # Never in a message otherwise: base64 has no "@", the text parts are quoted-printable.
    return f"@@tracker-attachment-{number}@@\r\n".encode("ascii")


def _header(text: str) -> str | Header:
    return text if text.isascii() else Header(text, "utf-8")


def _address(text: str) -> str:
    name, address = parseaddr(text)
    return formataddr((name, address), charset="utf-8") if name else address
