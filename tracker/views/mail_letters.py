"""The e-mails backers get, rendered from templates/mail/email/ in the subscriber's language.

Used by the web (the confirmation at subscribe time, a founder's test) and by the worker
(a report's e-mail, composed when sent; the worker pushes the app's context). Every link
is absolute at the configured public address; no image and nothing remote is loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from flask import current_app, render_template
from flask_babel import force_locale, gettext
from sqlmodel import select

from tracker.campaigns.timeline import TimelineItem
from tracker.campaigns.week_news import Week
from tracker.dates import today_in
from tracker.mail.messages import Letter
from tracker.mail.tokens import CONFIRM_DAYS, confirm_token, unsubscribe_token
from tracker.models import Campaign, PublishedReport, Subscriber, utcnow
from tracker.pledges.funding import FundingSummary, summarize_funding
from tracker.views.absolute_urls import absolute_url


@dataclass(frozen=True)
class ReportNews:
    """What a report's e-mail says besides its links: title, period and the funding figures."""

    report: PublishedReport
    funding: FundingSummary | None


def deliver_soon() -> None:
    """Ask the worker to send the outbox now (call after committing the messages)."""
    from tracker.jobs import QueueUnavailable, enqueue  # the web's queue, not the worker's

    try:
        enqueue("mail.deliver")
    except QueueUnavailable:
        # The worker's minutely mail.retry sends them anyway: the rows are committed.
        current_app.logger.warning("mail.deliver not queued; the next retry run sends it")


def unsubscribe_url(subscriber: Subscriber) -> str:
    """Return the subscriber's one-click unsubscribe URL (also the link in the message)."""
    token = unsubscribe_token(current_app.config["SECRET_KEY"], subscriber)
    return absolute_url("subscriptions.unsubscribe_page", token=token)


_SLOT = "unsubscribe-slot"  # where each subscriber's signed token goes


def unsubscribe_urls() -> Callable[[Subscriber], str]:
    """Return a maker of unsubscribe URLs for many subscribers (the URL's shape built once)."""
    # Building the URL took a third of each link's cost; a token is URL-safe as it is. The
    # shape is built at the first link, in the app's context (none may be needed at all).
    secret = current_app.config["SECRET_KEY"]

    @cache
    def shape() -> tuple[str, str]:
        url = absolute_url("subscriptions.unsubscribe_page", token=_SLOT)
        head, _, tail = url.rpartition(_SLOT)
        return head, tail

    def url_of(subscriber: Subscriber) -> str:
        head, tail = shape()
        return f"{head}{unsubscribe_token(secret, subscriber)}{tail}"

    return url_of


def _letter(name: str, language: str, subject: str, unsubscribe: str | None, **values) -> Letter:
    values = {**values, "unsubscribe_url": unsubscribe, "letter_language": language}
    return Letter(
        subject=subject,
        text=render_template(f"mail/email/{name}.txt", **values),
        html=render_template(f"mail/email/{name}.html", subject=subject, **values),
        language=language,
        unsubscribe_url=unsubscribe,
    )


def confirm_letter(campaign: Campaign, subscriber: Subscriber) -> Letter:
    """Return the one message an unconfirmed address gets: the confirmation link."""
    token = confirm_token(current_app.config["SECRET_KEY"], subscriber)
    with force_locale(subscriber.language):
        subject = gettext("Confirm your subscription to %(title)s", title=campaign.title)
        return _letter(
            "confirm",
            subscriber.language,
            subject,
            unsubscribe_url(subscriber),
            campaign=campaign,
            confirm_url=absolute_url("subscriptions.confirm_subscription", token=token),
            days=CONFIRM_DAYS,
        )


def already_letter(campaign: Campaign, subscriber: Subscriber) -> Letter:
    """Return the note a confirmed address gets when someone subscribes it again."""
    with force_locale(subscriber.language):
        subject = gettext("You already get news of %(title)s", title=campaign.title)
        return _letter(
            "already",
            subscriber.language,
            subject,
            unsubscribe_url(subscriber),
            campaign=campaign,
            page_url=absolute_url("public.campaign", slug=campaign.slug),
        )


def test_letter(session, campaign: Campaign, *, address: str) -> Letter:
    """Return what a backer would get now: the newest report's e-mail, or a sample."""
    # Its unsubscribe link names no subscription: opening it unsubscribes nobody.
    stand_in = Subscriber(
        id=0, campaign_id=campaign.id, address=address, language=campaign.language,
        receives="both", created_at=utcnow(),
    )  # fmt: skip
    link = unsubscribe_url(stand_in)
    report = session.scalars(
        select(PublishedReport)
        .where(PublishedReport.campaign_id == campaign.id)
        .order_by(PublishedReport.version.desc())
        .limit(1)
    ).first()
    if report is not None:
        funding = summarize_funding(session, campaign, today=today_in(campaign.timezone))
        news = ReportNews(report=report, funding=funding)
        return report_letter(campaign, news, language=campaign.language, unsubscribe=link)
    with force_locale(campaign.language):
        subject = gettext("Test message from %(title)s", title=campaign.title)
        page_url = absolute_url("public.campaign", slug=campaign.slug)
        return _letter(
            "test", campaign.language, subject, link, campaign=campaign, page_url=page_url
        )


def report_letter(
    campaign: Campaign, news: ReportNews, *, language: str, unsubscribe: str | None
) -> Letter:
    """Return a published report's e-mail: its summary and the link to its PDF."""
    report = news.report
    with force_locale(language):
        subject = gettext("%(title)s: %(report)s", title=campaign.title, report=report.title)
        return _letter(
            "report",
            language,
            subject,
            unsubscribe,
            campaign=campaign,
            report=report,
            funding=news.funding,
            pdf_url=absolute_url(
                "reports.published_pdf", slug=campaign.slug, version=report.version
            ),
            page_url=absolute_url("public.campaign", slug=campaign.slug),
        )


def digest_letter(
    campaign: Campaign, week: Week, news: list[TimelineItem], *, language: str, unsubscribe: str
) -> Letter:
    """Return the weekly digest: the week's own updates and milestone changes."""
    with force_locale(language):
        subject = gettext("%(title)s: the news of the week", title=campaign.title)
        return _letter(
            "digest",
            language,
            subject,
            unsubscribe,
            campaign=campaign,
            news=news,
            week_first=week.start,
            week_last=week.end - timedelta(seconds=1),  # its Sunday, in the campaign's zone
            page_url=absolute_url("public.campaign", slug=campaign.slug),
        )
