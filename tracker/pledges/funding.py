"""Funding analytics from SQL aggregates: totals, tiers, countries, curve, projection."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlmodel import Session

from tracker.dates import local_day
from tracker.local_days import day_of_quarter, quarter_hour
from tracker.models import Campaign, FundingSnapshot, Milestone, Pledge, PledgeAddon
from tracker.pledges.sources import (
    LIVE_SOURCES,
    ledger_source,
    live_since,
    report_covers_until,
    source_of,
)
from tracker.validation import EARLIEST, LATEST

LOST = ("dropped", "refunded")  # no longer counts towards the total
# The platform failed to charge it and is trying again (Kickstarter: "errored" for up to
# 7 days): still pledged, not yet money; shown apart wherever the net total is.
RETRYING = "failed"
MIN_PROJECTION_DAYS = 3


@dataclass(frozen=True)
class Share:
    """Pledges and amount of one tier, country or status."""

    name: str
    pledges: int
    amount_minor: int


@dataclass(frozen=True)
class OtherCurrency:
    """Pledges in a currency other than the campaign's: listed apart, never converted."""

    currency: str
    pledges: int  # not dropped or refunded
    net_minor: int
    retrying_minor: int = 0


@dataclass(frozen=True)
class StretchGoal:
    title: str
    threshold_minor: int
    reached: bool


@dataclass(frozen=True)
class Projection:
    """Final total if the average daily rate holds, with a band from 7-day rates."""

    expected_minor: int
    low_minor: int
    high_minor: int
    daily_rate_minor: int


@dataclass(frozen=True)
class CurvePoint:
    day: date
    amount_minor: int  # cumulative, net
    backers: int  # cumulative
    source: str = "report"  # report, live or snapshots (tracker.pledges.sources)


@dataclass
class FundingSummary:
    """Every figure the dashboard, the public page, the badge and the report show.

    Each counts the pledges in the campaign's currency only; pledges in other currencies
    are in other_currencies and in no other figure.
    """

    currency: str
    goal_minor: int
    source: str  # "pledges", "snapshots" or "none": what the breakdowns can come from
    ends_on: date | None = None
    ended: bool = False  # today is past ends_on: pages say when it ended, not "0 days left"
    gross_minor: int = 0  # every pledge, whatever its status
    collected_minor: int = 0  # charged by the platform: money the team receives
    net_minor: int = 0  # gross less dropped and refunded: promised, retrying or collected
    backers: int = 0  # pledges counted in net_minor
    retrying_minor: int = 0  # part of net_minor whose payment the platform is retrying
    retrying: int = 0
    by_status: list[Share] = field(default_factory=list)
    by_tier: list[Share] = field(default_factory=list)
    by_country: list[Share] = field(default_factory=list)
    addons: list[tuple[str, int]] = field(default_factory=list)
    other_currencies: list[OtherCurrency] = field(default_factory=list)
    curve: list[CurvePoint] = field(default_factory=list)
    stretch_goals: list[StretchGoal] = field(default_factory=list)
    fulfilment_sent: int = 0
    fulfilment_known: int = 0
    days_left: int = 0
    projection: Projection | None = None
    # Pledges dated outside validation's sane range, stored before imports checked dates:
    # counted in the totals (the money is real), left out of the curve like undated ones.
    misdated: int = 0
    # Which source each figure comes from: report, live or snapshots (see `sources`).
    sources: dict[str, str] = field(default_factory=dict)
    report_at: datetime | None = None  # the newest backer report's import
    live_at: datetime | None = None  # the newest live figures counted, and their platform
    live_platform: str | None = None
    recorded_at: datetime | None = None  # the newest pushed total, when it is the figures'

    @property
    def percent_of_goal(self) -> float:
        return 100.0 * self.net_minor / self.goal_minor if self.goal_minor else 0.0

    @property
    def average_minor(self) -> int:
        return self.net_minor // self.backers if self.backers else 0

    @property
    def next_stretch_goal(self) -> StretchGoal | None:
        return next((goal for goal in self.stretch_goals if not goal.reached), None)

    @property
    def fulfilment_share(self) -> float | None:
        return self.fulfilment_sent / self.fulfilment_known if self.fulfilment_known else None


def summarize_funding(session: Session, campaign: Campaign, *, today: date) -> FundingSummary:
    """Compute the campaign's funding figures as of today."""
    summary = FundingSummary(
        currency=campaign.currency,
        goal_minor=campaign.goal_minor,
        source="none",
        ends_on=campaign.ends_on,
        ended=today > campaign.ends_on,
        days_left=max((campaign.ends_on - today).days, 0),
    )
    if _fill_from_pledges(session, campaign, summary):
        summary.source = "pledges"
        _extend_with_live(session, campaign, summary)
    elif _fill_from_snapshots(session, campaign, summary):
        summary.source = "snapshots"
    summary.stretch_goals = _stretch_goals(session, campaign, summary.net_minor)
    if campaign.starts_on <= today <= campaign.ends_on:
        summary.projection = project_total(
            summary.curve, summary.net_minor, summary.days_left, today=today
        )
    return summary


def _fill_from_pledges(session, campaign, summary) -> bool:
    mine = (Pledge.campaign_id == campaign.id, Pledge.currency == campaign.currency)
    statuses = session.execute(
        select(Pledge.status, func.count(), func.coalesce(func.sum(Pledge.amount_minor), 0))
        .where(*mine)
        .group_by(Pledge.status)
    ).all()
    summary.other_currencies = _other_currencies(session, campaign)
    if not statuses and not summary.other_currencies:
        return False
    summary.by_status = sorted(
        (Share(s, n, int(a)) for s, n, a in statuses), key=lambda share: -share.amount_minor
    )
    summary.gross_minor = sum(share.amount_minor for share in summary.by_status)
    summary.collected_minor = sum(
        s.amount_minor for s in summary.by_status if s.name == "collected"
    )
    kept = [share for share in summary.by_status if share.name not in LOST]
    summary.net_minor = sum(share.amount_minor for share in kept)
    summary.backers = sum(share.pledges for share in kept)
    retrying = next((s for s in summary.by_status if s.name == RETRYING), None)
    if retrying:
        summary.retrying, summary.retrying_minor = retrying.pledges, retrying.amount_minor
    counted = (*mine, Pledge.status.not_in(LOST))
    summary.by_tier = _shares(session, Pledge.tier, counted)
    summary.by_country = _shares(session, Pledge.country, counted)
    summary.addons = [
        (name, int(qty))
        for name, qty in session.execute(
            select(PledgeAddon.name, func.sum(PledgeAddon.quantity))
            .join(Pledge, Pledge.id == PledgeAddon.pledge_id)
            .where(*counted)
            .group_by(PledgeAddon.name)
            .order_by(func.sum(PledgeAddon.quantity).desc())
        )
    ]
    sent, known = session.execute(
        select(
            func.count().filter(Pledge.fulfilment == "sent"), func.count(Pledge.fulfilment)
        ).where(*counted)
    ).one()
    summary.fulfilment_sent, summary.fulfilment_known = sent, known
    summary.curve = _curve_from_pledges(session, counted, campaign.timezone)
    summary.misdated = session.execute(
        select(func.count()).where(
            *counted, Pledge.pledged_at.is_not(None), ~_sane(Pledge.pledged_at)
        )
    ).scalar_one()
    report = ("net_minor", "backers", "gross_minor", "collected_minor", "breakdowns", "curve")
    summary.sources = dict.fromkeys(report, "report")
    return True


def _live_after_report(session, campaign) -> tuple[datetime | None, list[CurvePoint]]:
    """Return the report's import and the live figures of the days after it, a point a day."""
    covers = report_covers_until(session, campaign)
    last_covered = None if covers is None else local_day(covers, campaign.timezone)
    by_day: dict[date, tuple[int, int, str]] = {}
    for taken_at, amount, backers, source in live_since(session, campaign, covers, sane=_sane):
        day = local_day(taken_at, campaign.timezone)
        # The report wins for every day it covers, its import's day included.
        if last_covered is None or day > last_covered:
            by_day[day] = (amount, backers, source)
    points = [CurvePoint(day, a, b, "live") for day, (a, b, _s) in sorted(by_day.items())]
    return covers, points


def _extend_with_live(session, campaign, summary) -> None:
    summary.report_at, live = _live_after_report(session, campaign)
    ledger = ledger_source(session, campaign)
    summary.sources = dict.fromkeys(summary.sources, ledger)
    if not live:
        return
    # Pledges polled live can fall on a day of live totals: the platform's total wins it.
    live_days = {point.day for point in live}
    kept = [point for point in summary.curve if point.day not in live_days]
    summary.curve = sorted([*kept, *live], key=lambda point: point.day)
    summary.net_minor, summary.backers = live[-1].amount_minor, live[-1].backers
    summary.sources.update(
        net_minor="live", backers="live", curve="live" if ledger == "live" else "report+live"
    )
    summary.live_at, summary.live_platform = _newest_live(session, campaign)


def net_total(session: Session, campaign: Campaign) -> int:
    """Return the net total alone, as summarize_funding counts it, for the stretch goals."""
    summary = FundingSummary(currency=campaign.currency, goal_minor=0, source="none")
    counted, amount = session.execute(
        select(
            func.count(),
            func.coalesce(func.sum(Pledge.amount_minor).filter(Pledge.status.not_in(LOST)), 0),
        ).where(Pledge.campaign_id == campaign.id, Pledge.currency == campaign.currency)
    ).one()
    if counted or _other_currencies(session, campaign):
        _covers, live = _live_after_report(session, campaign)
        return live[-1].amount_minor if live else int(amount)
    _fill_from_snapshots(session, campaign, summary)
    return summary.net_minor


def _other_currencies(session, campaign) -> list[OtherCurrency]:
    rows = session.execute(
        select(
            Pledge.currency,
            func.count(),
            func.coalesce(func.sum(Pledge.amount_minor), 0),
            func.coalesce(func.sum(Pledge.amount_minor).filter(Pledge.status == RETRYING), 0),
        )
        .where(
            Pledge.campaign_id == campaign.id,
            Pledge.currency != campaign.currency,
            Pledge.status.not_in(LOST),
        )
        .group_by(Pledge.currency)
        .order_by(Pledge.currency)
    )
    return [OtherCurrency(code, n, int(net), int(retry)) for code, n, net, retry in rows]


def _sane(column):
    return (column >= EARLIEST) & (column < LATEST)


def _shares(session, column, where) -> list[Share]:
    rows = session.execute(
        select(column, func.count(), func.sum(Pledge.amount_minor))
        .where(*where)
        .group_by(column)
        .order_by(func.sum(Pledge.amount_minor).desc())
    )
    return [Share(name or "", n, int(amount)) for name, n, amount in rows]


def _curve_from_pledges(session, where, zone_name) -> list[CurvePoint]:
    quarter = quarter_hour(Pledge.pledged_at)
    rows = session.execute(
        select(quarter, func.count(), func.sum(Pledge.amount_minor))
        .where(*where, _sane(Pledge.pledged_at))
        .group_by(quarter)
    )
    by_day: dict[date, list[int]] = defaultdict(lambda: [0, 0])  # the campaign's days
    for value, n, total in rows:
        day = by_day[day_of_quarter(value, zone_name)]
        day[0] += n
        day[1] += int(total)
    points, amount, backers = [], 0, 0
    for day, (n, total) in sorted(by_day.items()):
        amount, backers = amount + total, backers + n
        points.append(CurvePoint(day, amount, backers))
    return points


def _fill_from_snapshots(session, campaign, summary) -> bool:
    snapshots = session.execute(
        select(
            FundingSnapshot.taken_at,
            FundingSnapshot.amount_minor,
            FundingSnapshot.backers,
            FundingSnapshot.source,
        )
        # A total pushed with an impossible date would be the latest for ever: ignored.
        .where(FundingSnapshot.campaign_id == campaign.id, _sane(FundingSnapshot.taken_at))
        .order_by(FundingSnapshot.taken_at, FundingSnapshot.id)
    ).all()
    if not snapshots:
        return False
    by_day: dict[date, tuple[int, int, str]] = {}
    for taken_at, amount, backers, source in snapshots:
        # The day's last snapshot wins; days are the campaign's local ones.
        by_day[local_day(taken_at, campaign.timezone)] = (amount, backers, source_of(source))
    summary.curve = [CurvePoint(day, *figures) for day, figures in sorted(by_day.items())]
    last = summary.curve[-1]
    summary.gross_minor = summary.net_minor = last.amount_minor
    summary.backers = last.backers
    kinds = sorted({point.source for point in summary.curve})
    summary.sources = dict.fromkeys(("net_minor", "backers", "gross_minor"), last.source)
    summary.sources["curve"] = "+".join(kinds)
    if last.source == "live":
        summary.live_at, summary.live_platform = _newest_live(session, campaign)
    else:  # sorted by time: the last snapshot read is the newest, and it is a pushed one
        summary.recorded_at = snapshots[-1][0]
    return True


def _newest_live(session, campaign) -> tuple[datetime | None, str | None]:
    """Return when the newest live figures were read, and from which platform."""
    row = session.execute(
        select(FundingSnapshot.taken_at, FundingSnapshot.source)
        .where(
            FundingSnapshot.campaign_id == campaign.id,
            FundingSnapshot.source.in_(LIVE_SOURCES),
            _sane(FundingSnapshot.taken_at),
        )
        .order_by(FundingSnapshot.taken_at.desc(), FundingSnapshot.id.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else (None, None)


def _stretch_goals(session, campaign, net_minor) -> list[StretchGoal]:
    rows = session.execute(
        select(Milestone.title, Milestone.threshold_minor)
        .where(
            Milestone.campaign_id == campaign.id,
            Milestone.threshold_minor.is_not(None),
            Milestone.is_public,
            Milestone.status != "dropped",
        )
        .order_by(Milestone.threshold_minor)
    )
    return [StretchGoal(title, threshold, net_minor >= threshold) for title, threshold in rows]


def project_total(
    curve: list[CurvePoint], total: int, days_left: int, *, today: date
) -> Projection | None:
    """Project the final total from the daily curve; None with fewer than 3 days of data."""
    if not curve:
        return None
    first = curve[0].day
    span = (today - first).days + 1  # days without pledges count, as zeros
    if span < MIN_PROJECTION_DAYS:
        return None
    daily = defaultdict(int)
    previous = 0
    for point in curve:
        daily[point.day] = point.amount_minor - previous
        previous = point.amount_minor
    amounts = [daily.get(first + timedelta(days=i), 0) for i in range(span)]
    rate = total / span if span else 0
    window = min(7, span)
    weekly = [sum(amounts[i : i + window]) / window for i in range(span - window + 1)]
    # Pushed totals fall in a week of refunds and drops; extrapolating that loss over every
    # day left once projected below zero. The band projects new pledges: a week that lost
    # money is a pace of none, so the band never ends below what is pledged now.
    low, high = max(min(weekly), 0), max(max(weekly), 0)
    return Projection(
        expected_minor=round(total + rate * days_left),
        low_minor=round(total + low * days_left),
        high_minor=round(total + high * days_left),
        daily_rate_minor=round(rate),
    )
