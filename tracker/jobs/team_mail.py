"""The team's e-mails: the storm-of-criticism alert and the weekly summary, for those who
opted in (tracker/mail/team.py decides who, tracker/views/team_letters.py writes them)."""

from __future__ import annotations

import logging

from sqlmodel import Session

from tracker.jobs.registry import JobContext, periodic
from tracker.mail.team import queue_storm_alerts, queue_weekly_summaries
from tracker.models import utcnow
from tracker.views.team_letters import alert_letter, summary_letter

log = logging.getLogger(__name__)


def _queued(context: JobContext, what: str, count: int) -> None:
    if count:
        log.info("%s: %s e-mail(s) queued", what, count)
        context.enqueue("mail.deliver")


@periodic("mail.storm_alerts", minute="*/5")
def storm_alerts(context: JobContext) -> None:
    """Queue an alert to the members who want one, for each campaign a storm has started in."""
    with Session(context.engine, expire_on_commit=False) as session, context.app_context():
        count = queue_storm_alerts(session, now=utcnow(), compose=alert_letter)
        session.commit()
    _queued(context, "mail.storm_alerts", count)


# Hourly, not at one minute of the week: a worker down then, or `tracker worker --once` from
# cron at another minute, still sends; the rounds table sends each week's once.
@periodic("mail.weekly", minute="7")
def weekly(context: JobContext) -> None:
    """Queue last week's summaries to the members who want them, once per campaign and week."""
    with Session(context.engine, expire_on_commit=False) as session, context.app_context():
        count = queue_weekly_summaries(session, now=utcnow(), compose=summary_letter)
        session.commit()
    _queued(context, "mail.weekly", count)
