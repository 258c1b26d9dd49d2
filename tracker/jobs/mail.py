"""The mail jobs: send what the outbox holds, retry what was deferred."""

from __future__ import annotations

import logging
from pathlib import Path

from tracker.jobs.registry import JobContext, job, periodic
from tracker.mail.outbox import DeliveryRules, deliver_due
from tracker.mail.transport import FileTransport, SmtpTransport, open_transport

log = logging.getLogger(__name__)


def delivery_rules(config) -> DeliveryRules:
    """Return how the worker sends, from the settings."""
    sender = str(config["MAIL_FROM"])
    domain = sender.rsplit("@", 1)[-1].strip(" >") or "localhost"
    return DeliveryRules(
        sender=sender,
        id_domain=domain,
        batch_size=int(config.get("MAIL_BATCH_SIZE") or 100),
        lease_seconds=float(config.get("MAIL_LEASE_SECONDS") or 300),
        retry_seconds=float(config.get("MAIL_RETRY_SECONDS") or 60),
        max_attempts=int(config.get("MAIL_MAX_ATTEMPTS") or 10),
    )


def mail_transport(config) -> SmtpTransport | FileTransport:
    """Return the SMTP transport, or the folder of .eml files when SMTP_URL is unset."""
    return open_transport(config.get("SMTP_URL"), folder=Path(config["MAIL_DIR"]))


@job("mail.deliver")
def deliver(context: JobContext) -> None:
    """Send every message of the outbox that is due, batch by batch."""
    tally = deliver_due(
        context.engine,
        mail_transport(context.config),
        delivery_rules(context.config),
        stop=context.stop,
    )
    if tally.unreachable:
        log.warning("mail.deliver: %s; retried within a minute", tally.unreachable[0])
    if tally.sent or tally.deferred or tally.bounced:
        log.info("mail.deliver: %s", tally.line())


@periodic("mail.retry", minute="*")
def retry(context: JobContext) -> None:
    """Send what is due again: deferred messages, and claims of workers that died."""
    deliver(context)
