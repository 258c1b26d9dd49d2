"""E-mails to a campaign's team members who opted in: the storm-of-criticism alert, and a
weekly summary.

Each member chooses on the team page (CampaignMember.mail_alerts, .mail_summary). The worker
looks every few minutes for a storm (`tracker.feedback.alerts`, the rules the dashboard's
banner uses) and sends one alert per storm: no second one within ALERT_QUIET of the last.
The weekly summary of the week before goes out with the first look after Monday 00:00 in the
campaign's time zone, also in a week when nothing happened (silence is news to a founder).
The first look at a campaign whose members opted in starts its schedule: the week before is
recorded unsent, so a deploy or the first opt-in on a Thursday sends nothing then, and the
first summary tells the week that follows. A week's summary not sent by the day after it is
not sent (tracker/mail/rounds.py). Who gets what is decided here; `compose` writes the
words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlmodel import Session

from tracker.campaigns.timeline import TimelineItem
from tracker.campaigns.week_news import Week, last_week, week_news
from tracker.dates import local_day
from tracker.errors import NotFound
from tracker.feedback.alert_settings import peek_settings
from tracker.feedback.alerts import AlertEntry, Assessment, alert_entries, current_alert
from tracker.mail.messages import Letter
from tracker.mail.outbox import queue_letter
from tracker.mail.rounds import count_messages, last_round_at, start_round, too_late
from tracker.models import Campaign, CampaignMember, Feedback, User
from tracker.pledges.changes import FundingChange, funding_change
from tracker.pledges.funding import summarize_funding

ALERT_QUIET = timedelta(hours=24)  # the alert's own window: one storm, one e-mail
MAX_ALERT_COMMENTS = 10


@dataclass(frozen=True)
class StormNews:
    """What an alert e-mail says: the rules that fired and the newest negative comments."""

    assessment: Assessment
    comments: list[AlertEntry]


@dataclass(frozen=True)
class WeekSummary:
    """What a weekly summary says: the week's news, its comments, the funding now and its change."""

    week: Week
    news: list[TimelineItem]
    comments: int
    negative: int
    net_minor: int
    funding: FundingChange | None = None  # None: no figures up to the week's end


def opted_in(session: Session, campaign: Campaign, *, choice: str) -> list[str]:
    """Return the addresses of the members who chose `choice` (mail_alerts or mail_summary)."""
    return list(
        session.scalars(
            select(User.email)
            .join(CampaignMember, CampaignMember.user_id == User.id)
            .where(CampaignMember.campaign_id == campaign.id, getattr(CampaignMember, choice))
            .order_by(User.email)
        )
    )


def get_member(session: Session, campaign: Campaign, user_id: int) -> CampaignMember:
    """Return the user's membership of the campaign; NotFound when they are not in the team."""
    member = session.get(CampaignMember, (campaign.id, user_id))
    if member is None:
        raise NotFound("not in the team")
    return member


def set_choices(session: Session, member: CampaignMember, *, alerts: bool, summary: bool) -> None:
    """Record what the member wants by e-mail about the campaign."""
    member.mail_alerts, member.mail_summary = alerts, summary
    session.add(member)
    session.flush()


def _campaigns_with(session: Session, choice: str) -> list[Campaign]:
    chosen = select(CampaignMember.campaign_id).where(getattr(CampaignMember, choice))
    return list(session.scalars(select(Campaign).where(Campaign.id.in_(chosen))))


def _queue(session, campaign, addresses, kind, letter) -> int:
    for address in addresses:
        queue_letter(session, recipient=address, kind=kind, letter=letter, campaign_id=campaign.id)
    return len(addresses)


def queue_storm_alerts(
    session: Session, *, now: datetime, compose: Callable[[Campaign, StormNews], Letter]
) -> int:
    """Queue an alert for each campaign in a storm to the members who want it; return how many."""
    queued = 0
    for campaign in _campaigns_with(session, "mail_alerts"):
        assessment = current_alert(session, campaign, peek_settings(session, campaign), now=now)
        if not assessment.active:
            continue
        last = last_round_at(session, kind="alert", campaign_id=campaign.id)
        if last is not None and now - last < ALERT_QUIET:
            continue  # this storm was told already
        round_id = start_round(
            session, kind="alert", campaign_id=campaign.id, period=now.date().isoformat(), now=now
        )
        if round_id is None:
            continue
        comments = alert_entries(session, campaign, now=now)[:MAX_ALERT_COMMENTS]
        letter = compose(campaign, StormNews(assessment, comments))
        addresses = opted_in(session, campaign, choice="mail_alerts")
        sent = _queue(session, campaign, addresses, "alert", letter)
        count_messages(session, round_id, sent)
        queued += sent
    session.flush()
    return queued


def week_summary(session: Session, campaign: Campaign, week: Week) -> WeekSummary:
    """Return the campaign's summary of the week."""
    negative = func.coalesce(func.sum(case((Feedback.label == "negative", 1), else_=0)), 0)
    comments, negatives = session.execute(
        select(func.count(), negative).where(
            Feedback.campaign_id == campaign.id,
            Feedback.published_at >= week.start,
            Feedback.published_at < week.end,
        )
    ).one()
    # The week's local days, Monday to Sunday, as the funding curve counts them.
    first = local_day(week.start, campaign.timezone)
    last = local_day(week.end, campaign.timezone) - timedelta(days=1)
    funding = summarize_funding(session, campaign, today=last)
    return WeekSummary(
        week=week,
        news=week_news(session, campaign, week),
        comments=int(comments),
        negative=int(negatives),
        net_minor=funding.net_minor,
        funding=funding_change(funding.curve, first=first, last=last),
    )


def queue_weekly_summaries(
    session: Session, *, now: datetime, compose: Callable[[Campaign, WeekSummary], Letter]
) -> int:
    """Queue last week's summary of each campaign to the members who want it, once."""
    queued = 0
    for campaign in _campaigns_with(session, "mail_summary"):
        week = last_week(now, campaign.timezone)
        first = last_round_at(session, kind="summary", campaign_id=campaign.id) is None
        if too_late(week, now) and not first:
            continue
        round_id = start_round(
            session, kind="summary", campaign_id=campaign.id, period=week.key, now=now
        )
        if round_id is None or first:
            continue  # sent before; or the schedule starts: that week is recorded, unsent
        letter = compose(campaign, week_summary(session, campaign, week))
        addresses = opted_in(session, campaign, choice="mail_summary")
        sent = _queue(session, campaign, addresses, "summary", letter)
        count_messages(session, round_id, sent)
        queued += sent
    session.flush()
    return queued
