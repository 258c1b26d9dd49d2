"""Hand messages to an SMTP server (TRACKER_SMTP_URL), or write them as files when unset.

The one module that speaks to smtplib. A transport sends one message at a time over one
connection (opened on first use, kept for a batch) and says how it went in our words:
TemporaryFailure (4xx, a connection lost: try again later) or PermanentFailure (5xx: the
server refuses this recipient for good).
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
import time
from pathlib import Path

from tracker.mail.settings import SmtpSettings, parse_smtp_url

CONNECT_TIMEOUT_SECONDS = 30


class TemporaryFailure(Exception):
    """The server could not take the message now (4xx, or no connection): retry later."""


class PermanentFailure(Exception):
    """The server refused the message for good (5xx): no retry to this address."""


class SmtpTransport:
    """One SMTP connection, opened on first send and kept until close()."""

    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self._smtp: smtplib.SMTP | None = None

    def _connect(self) -> smtplib.SMTP:
        settings = self.settings
        try:
            if settings.scheme == "smtps":
                smtp = smtplib.SMTP_SSL(
                    settings.host,
                    settings.port,
                    timeout=CONNECT_TIMEOUT_SECONDS,
                    context=ssl.create_default_context(),
                )
            else:
                smtp = smtplib.SMTP(settings.host, settings.port, timeout=CONNECT_TIMEOUT_SECONDS)
                if settings.scheme == "smtp+starttls":
                    smtp.starttls(context=ssl.create_default_context())
            if settings.username:
                smtp.login(settings.username, settings.password or "")
        except smtplib.SMTPAuthenticationError as error:
            raise TemporaryFailure(f"login refused: {_reply(error)}") from error
        except (OSError, smtplib.SMTPException) as error:
            raise TemporaryFailure(
                f"cannot reach {settings.host}:{settings.port}: {error}"
            ) from error
        return smtp

    def send(self, sender: str, recipient: str, message: bytes) -> None:
        """Hand one message over; TemporaryFailure or PermanentFailure when refused."""
        if self._smtp is None:
            self._smtp = self._connect()
        try:
            self._smtp.sendmail(sender, [recipient], message)
        except smtplib.SMTPRecipientsRefused as error:
            code, reply = next(iter(error.recipients.values()))
            raise _failure(code, reply) from error
        except smtplib.SMTPResponseException as error:
            self._reset()
            raise _failure(error.smtp_code, error.smtp_error) from error
        except (OSError, smtplib.SMTPException) as error:  # the connection went away
            self._drop()
            raise TemporaryFailure(f"connection lost: {error}") from error

    def _reset(self) -> None:
        try:
            self._smtp.rset()
        except (OSError, smtplib.SMTPException):
            self._drop()

    def _drop(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            with contextlib.suppress(OSError):
                smtp.close()

    def close(self) -> None:
        """Say QUIT and close the connection, if one is open."""
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            try:
                smtp.quit()
            except (OSError, smtplib.SMTPException):
                smtp.close()


class FileTransport:
    """Write each message as <time>-<recipient>.eml into a folder (development, `make run`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def send(self, sender: str, recipient: str, message: bytes) -> None:
        """Write the message as the next .eml file of the folder."""
        self.folder.mkdir(parents=True, exist_ok=True)
        safe = "".join(c if c.isalnum() or c in "@.-_" else "_" for c in recipient)
        (self.folder / f"{time.time_ns()}-{safe}.eml").write_bytes(message)

    def close(self) -> None:
        """Nothing to close."""


def open_transport(smtp_url: str | None, *, folder: Path) -> SmtpTransport | FileTransport:
    """Return the SMTP transport of smtp_url, or the folder's file transport without one."""
    if smtp_url:
        return SmtpTransport(parse_smtp_url(smtp_url))
    return FileTransport(folder)


def _reply(error: smtplib.SMTPResponseException) -> str:
    return f"{error.smtp_code} {_text(error.smtp_error)}"


def _text(reply) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return " ".join(text.split())[:250]


def _failure(code: int, reply) -> Exception:
    text = f"{code} {_text(reply)}"
    if 500 <= code < 600:
        return PermanentFailure(text)
    return TemporaryFailure(text)
