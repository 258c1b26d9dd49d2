"""Build an e-mail's bytes: plain text and HTML parts, the RFC 8058 unsubscribe headers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime

# CRLF line ends, as SMTP wants. Lines up to RFC 5322's 998 characters: folded at 78, a
# long List-Unsubscribe URL became an RFC 2047 encoded word no mail provider would read.
_POLICY = policy.SMTP.clone(max_line_length=998)


@dataclass(frozen=True)
class Letter:
    """What one message says: subject, text, optional HTML, and where to unsubscribe."""

    subject: str
    text: str
    html: str | None = None
    language: str = "en"
    unsubscribe_url: str | None = None  # https: the List-Unsubscribe header and the link


def message_id(outbox_id: int, domain: str) -> str:
    """Return the Message-ID of an outbox row: the same on every attempt to send it."""
    # A message sent twice (see tracker.mail.outbox) carries one Message-ID, which lets
    # mail servers and readers drop the second copy.
    return f"<outbox-{outbox_id}@{domain}>"


def build_message(
    letter: Letter, *, sender: str, recipient: str, message_id: str, date: datetime
) -> bytes:
    """Return the message as bytes ready for SMTP."""
    message = EmailMessage(policy=_POLICY)
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = letter.subject
    message["Date"] = format_datetime(date)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"  # no vacation replies to a robot
    if letter.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{letter.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(letter.text)
    if letter.html is not None:
        message.add_alternative(letter.html, subtype="html")
    message["Content-Language"] = letter.language  # after set_content, which drops Content-*
    return message.as_bytes()
