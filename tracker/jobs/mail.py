"""The mail jobs: send what the outbox holds, retry what was deferred, forget stale sign-ups."""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Row, select
from sqlmodel import Session

from tracker.dates import today_in
from tracker.jobs.registry import JobContext, job, periodic
from tracker.mail.attachments import MAX_ATTACHMENT_BYTES, report_attachment, report_filename
from tracker.mail.messages import Letter, with_link
from tracker.mail.outbox import Composer, DeliveryRules, deliver_due
from tracker.mail.subscribers import purge_unconfirmed
from tracker.mail.transport import FileTransport, SmtpTransport, open_transport
from tracker.models import Campaign, PublishedReport, Subscriber
from tracker.pledges.funding import summarize_funding
from tracker.views.mail_letters import ReportNews, report_letter, unsubscribe_urls

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
    with Session(context.engine, expire_on_commit=False) as session:
        tally = deliver_due(
            context.engine,
            mail_transport(context.config),
            delivery_rules(context.config),
            compose=report_composer(context, session),
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
    with Session(context.engine) as session:
        purged = purge_unconfirmed(session)
        session.commit()
    if purged:
        log.info("mail.retry: %d unconfirmed sign-ups past their link's expiry deleted", purged)


_LINKED = (
    Subscriber.id,
    Subscriber.campaign_id,
    Subscriber.address,
    Subscriber.created_at,
    Subscriber.state,
)
# Stands for each subscriber's own link in a report's e-mail rendered once per language.
_UNSUBSCRIBE_MARK = "https://unsubscribe.invalid/mark"


def report_composer(context: JobContext, session: Session) -> Composer:
    """Return a composer of report e-mails: rendered once per report and language."""
    rendered: dict[tuple[int, str], Letter] = {}

    def compose(rows) -> Callable[[Row], Letter | None]:
        # The batch's subscribers in one query and its letters in one app context: one
        # query per message was a large share of each message's cost.
        reports = [row for row in rows if row.report_id is not None]
        wanted = {row.subscriber_id for row in reports if row.subscriber_id}
        letters: dict[int, Letter] = {}
        try:
            # Rows with what a link is signed with, not ORM objects: loading those and
            # expiring them again cost as much as the link itself.
            readers = session.execute(select(*_LINKED).where(Subscriber.id.in_(wanted)))
            subscribers = {reader.id: reader for reader in readers} if wanted else {}
            with context.app_context():
                link_of = unsubscribe_urls()
                for row in reports:
                    subscriber = subscribers.get(row.subscriber_id)
                    if subscriber is None or subscriber.state != "confirmed":
                        continue  # unsubscribed since the report was published
                    key = (row.report_id, row.language)
                    if key not in rendered:
                        rendered[key] = _report_letter(session, row.report_id, row.language)
                    link = link_of(subscriber)
                    letters[row.id] = with_link(rendered[key], mark=_UNSUBSCRIBE_MARK, link=link)
        finally:
            session.rollback()  # no read transaction stays open while the batch is sent
        return lambda row: letters.get(row.id)

    return compose


def _report_letter(session: Session, report_id: int, language: str) -> Letter:
    report = session.get(PublishedReport, report_id)
    campaign = session.get(Campaign, report.campaign_id)
    funding = summarize_funding(session, campaign, today=today_in(campaign.timezone))
    news = ReportNews(report=report, funding=funding)
    letter = report_letter(campaign, news, language=language, unsubscribe=_UNSUBSCRIBE_MARK)
    if not campaign.attach_report_pdf:
        return letter
    attachment = report_attachment(campaign, report)
    if attachment is None:
        log.info(
            "mail.deliver: %s not attached (%d bytes, over %d): the e-mail links it",
            report_filename(campaign, report),
            report.size,
            MAX_ATTACHMENT_BYTES,
        )
        return letter
    return dataclasses.replace(letter, attachments=(attachment,))
