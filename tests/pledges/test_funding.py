"""Funding analytics: curve by day, projection band, snapshots, stretch goals, currencies."""

from datetime import UTC, date, datetime

import pytest

from tests.factories import make_campaign, make_milestone
from tests.factories.pledges import import_file
from tracker.pledges.funding import CurvePoint, project_total, summarize_funding
from tracker.pledges.snapshots import record_snapshot

pytestmark = pytest.mark.campaign(
    goal_minor=200_000, starts_on=date(2026, 11, 1), ends_on=date(2026, 11, 30)
)


def test_curve_is_cumulative_by_day_without_lost_pledges(session, campaign):
    import_file(session, campaign, "ledger/kickstarter_v2.csv")
    summary = summarize_funding(session, campaign, today=date(2026, 11, 10))
    assert [(p.day, p.amount_minor, p.backers) for p in summary.curve] == [
        (date(2026, 11, 2), 118_100, 2),
        (date(2026, 11, 4), 131_500, 3),
        (date(2026, 11, 6), 135_900, 4),
    ]
    assert summary.days_left == 20
    assert round(summary.percent_of_goal, 2) == 67.95
    assert summary.average_minor == 33_975


def test_projection_needs_three_days_and_gives_a_band():
    curve = [CurvePoint(date(2026, 11, 1), 1000, 1), CurvePoint(date(2026, 11, 2), 3000, 2)]
    assert project_total(curve, 3000, 10, today=date(2026, 11, 2)) is None
    curve.append(CurvePoint(date(2026, 11, 3), 6000, 3))
    projection = project_total(curve, 6000, 10, today=date(2026, 11, 3))
    # 6000 over 3 days is 2000 a day; the only 3-day window is the same pace.
    assert (projection.expected_minor, projection.daily_rate_minor) == (26_000, 2000)
    assert projection.low_minor == projection.high_minor == 26_000


def test_projection_band_from_slowest_and_fastest_week():
    daily = [100] * 7 + [1000] * 7
    curve, total = [], 0
    for offset, amount in enumerate(daily):
        total += amount
        curve.append(CurvePoint(date(2026, 11, 1 + offset), total, offset + 1))
    projection = project_total(curve, total, 10, today=date(2026, 11, 14))
    assert projection.low_minor == total + 100 * 10
    assert projection.high_minor == total + 1000 * 10
    assert projection.expected_minor == round(total + total / 14 * 10)


def test_summary_shows_projection_only_while_running(session, campaign):
    import_file(session, campaign, "ledger/kickstarter_v2.csv")
    assert summarize_funding(session, campaign, today=date(2026, 11, 10)).projection
    assert summarize_funding(session, campaign, today=date(2026, 12, 10)).projection is None


def test_snapshots_are_the_curve_when_there_are_no_pledges(session, campaign):
    for day, amount, backers in ((3, 50_000, 10), (3, 60_000, 12), (5, 90_000, 20)):
        record_snapshot(
            session,
            campaign,
            amount_minor=amount,
            backers=backers,
            source="test",
            taken_at=datetime(2026, 11, day, 12 + backers % 5, tzinfo=UTC),
        )
    session.commit()
    summary = summarize_funding(session, campaign, today=date(2026, 11, 6))
    assert summary.source == "snapshots"
    assert [(p.day, p.amount_minor) for p in summary.curve] == [
        (date(2026, 11, 3), 60_000),
        (date(2026, 11, 5), 90_000),
    ]
    assert (summary.net_minor, summary.backers) == (90_000, 20)


def test_stretch_goals_reached_and_next(session, campaign):
    make_milestone(session, campaign, title="Second oscillator", threshold_minor=100_000)
    make_milestone(session, campaign, title="Alu case", threshold_minor=150_000)
    make_milestone(session, campaign, title="Secret", threshold_minor=120_000, is_public=False)
    import_file(session, campaign, "ledger/kickstarter_v2.csv")
    summary = summarize_funding(session, campaign, today=date(2026, 11, 10))
    assert [(g.title, g.reached) for g in summary.stretch_goals] == [
        ("Second oscillator", True),
        ("Alu case", False),
    ]
    assert summary.next_stretch_goal.title == "Alu case"


def test_other_currencies_are_totalled_apart_without_exchange_rates(session):
    campaign = make_campaign(session, currency="USD", goal_minor=100_000)
    import_file(session, campaign, "pledges/kickstarter_d.csv")
    summary = summarize_funding(session, campaign, today=date(2026, 11, 10))
    assert summary.net_minor == 0
    assert [other.currency for other in summary.other_currencies] == ["CAD"]
    assert summary.other_currencies[0].net_minor > 0


def test_empty_campaign_has_no_figures(session, campaign):
    summary = summarize_funding(session, campaign, today=date(2026, 11, 10))
    assert (summary.source, summary.net_minor, summary.curve, summary.projection) == (
        "none",
        0,
        [],
        None,
    )


def test_a_week_of_refunds_never_projects_below_what_is_pledged(session, campaign):
    # Pushed totals that fall: a good start, then a week of refunds and drops.
    for day, amount in [(1, 50_000), (2, 60_000), (3, 61_000), (10, 30_000)]:
        at = datetime(2026, 11, day, 18, tzinfo=UTC)
        record_snapshot(
            session, campaign, amount_minor=amount, backers=10, source="cli", taken_at=at
        )
    session.commit()
    summary = summarize_funding(session, campaign, today=date(2026, 11, 10))
    projection = summary.projection
    # The slowest 7 days lost 31,000: over the 20 days left that projected -58,571.
    assert projection.low_minor == summary.net_minor == 30_000
    assert projection.expected_minor == 30_000 + 3_000 * 20
    assert projection.high_minor == round(30_000 + 61_000 / 7 * 20)


@pytest.mark.campaign(
    goal_minor=200_000,
    starts_on=date(2026, 11, 1),
    ends_on=date(2026, 11, 30),
    timezone="Pacific/Auckland",
)
def test_curve_counts_the_campaigns_local_days(session, campaign):
    # Auckland is 13 hours ahead in November: 11:40 UTC on the 2nd is 00:40 on the 3rd.
    import_file(session, campaign, "ledger/kickstarter_v2.csv")
    summary = summarize_funding(session, campaign, today=date(2026, 11, 10))
    assert [(p.day, p.amount_minor, p.backers) for p in summary.curve] == [
        (date(2026, 11, 2), 4_400, 1),
        (date(2026, 11, 3), 118_100, 2),
        (date(2026, 11, 4), 131_500, 3),
        (date(2026, 11, 7), 135_900, 4),
    ]


@pytest.mark.campaign(
    goal_minor=200_000,
    starts_on=date(2026, 11, 1),
    ends_on=date(2026, 11, 30),
    timezone="Europe/Berlin",
)
def test_snapshots_fall_on_the_campaigns_local_day(session, campaign):
    for hour, minute, amount in ((12, 0, 50_000), (23, 30, 60_000)):
        record_snapshot(
            session,
            campaign,
            amount_minor=amount,
            backers=amount // 5000,
            source="test",
            taken_at=datetime(2026, 11, 3, hour, minute, tzinfo=UTC),
        )
    session.commit()
    summary = summarize_funding(session, campaign, today=date(2026, 11, 6))
    # 23:30 UTC is 00:30 in Berlin: the next local day.
    assert [(p.day, p.amount_minor) for p in summary.curve] == [
        (date(2026, 11, 3), 50_000),
        (date(2026, 11, 4), 60_000),
    ]
