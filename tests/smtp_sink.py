"""A real SMTP server (aiosmtpd) on 127.0.0.1 for tests and the benchmark.

with SmtpSink() as sink:                          # or the `smtp_sink` fixture
    app.config["SMTP_URL"] = sink.url
    sink.script("a@example.com", "451 4.3.0 busy")  # the next DATA for a@ gets this
    sink.refuse("b@example.com")                  # RCPT TO b@ gets 550 for good
    ... wait_for(lambda: len(sink.messages) == 3)
    sink.messages[0]["Subject"], sink.messages[0].get_body(("plain",))
"""

from __future__ import annotations

import asyncio
import socket
import threading
from email import message_from_bytes, policy
from email.message import EmailMessage

from aiosmtpd.controller import Controller


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Handler:
    def __init__(self, sink: SmtpSink) -> None:
        self.sink = sink

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.sink.refused:
            self.sink.attempts.append(address)
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        sink = self.sink
        recipient = envelope.rcpt_tos[0].lower()
        with sink.lock:
            sink.attempts.append(recipient)
            scripted = sink.scripts.get(recipient)
            if scripted:
                return scripted.pop(0)
            hold = sink.hold_at is not None and len(sink.raw) + 1 == sink.hold_at
            if hold:
                sink.hold_at = None  # once
        if hold:
            sink.holding.set()
            await asyncio.get_running_loop().run_in_executor(None, sink.release.wait)
            return sink.held_reply  # the client that sent it may be gone by now
        with sink.lock:
            sink.raw.append(envelope.content)
            sink.recipients.append(recipient)
        return "250 2.0.0 accepted"


class SmtpSink:
    """An SMTP server on a free port keeping every message it accepted (250), in order."""

    def __init__(self, *, parse: bool = True) -> None:
        self.port = free_port()
        self.url = f"smtp://127.0.0.1:{self.port}"
        self.parse = parse
        self.lock = threading.Lock()
        self.raw: list[bytes] = []
        self.recipients: list[str] = []
        self.attempts: list[str] = []  # every DATA (and refused RCPT), accepted or not
        self.scripts: dict[str, list[str]] = {}
        self.refused: set[str] = set()
        self.hold_at: int | None = None
        self.held_reply = "451 4.3.0 connection gone"
        self.holding = threading.Event()
        self.release = threading.Event()
        self.controller = Controller(_Handler(self), hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpSink:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.controller.stop()

    @property
    def messages(self) -> list[EmailMessage]:
        """Return the accepted messages, parsed."""
        with self.lock:
            raw = list(self.raw)
        return [message_from_bytes(data, policy=policy.default) for data in raw]

    def script(self, recipient: str, *replies: str) -> None:
        """Answer the next DATA transactions for recipient with replies, in order."""
        self.scripts.setdefault(recipient.lower(), []).extend(replies)

    def refuse(self, recipient: str) -> None:
        """Refuse recipient at RCPT TO with 550, every time."""
        self.refused.add(recipient.lower())

    def hold(self, number: int) -> None:
        """Keep the number-th message waiting for its reply until release is set."""
        self.hold_at = number
