"""Update impact against the usual pace, and the cadence warning on the dashboard."""

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.factories import make_campaign, make_user
from tests.factories.feedback import comment
from tests.factories.feeds import make_channel
from tests.factories.pledges import import_file
from tracker.feeds.store import store_entries
from tracker.models import FundingSnapshot, utcnow
from tracker.public.update_impact import update_impacts, update_silence


def _post(session, campaign, title, at):
    channel = make_channel(session, campaign)
    store_entries(session, channel, [comment(title, at=at, author="Founder")], now=utcnow())
    session.commit()


def test_impact_counts_48_hours_after_against_the_week_before(session):
    campaign = make_campaign(session, currency="EUR", starts_on=date(2026, 10, 25))
    import_file(session, campaign, "ledger/kickstarter_v2.csv")
    _post(session, campaign, "Devlog: firmware beta", datetime(2026, 11, 4, tzinfo=UTC))
    _post(session, campaign, "Devlog: quiet week", datetime(2026, 11, 20, tzinfo=UTC))
    best, quiet = update_impacts(session, campaign)
    assert best.title == "Devlog: firmware beta"
    # Nov 4 07:30 (€134 collected) counts; Nov 4 21:00 was dropped; Nov 6 12:00 is too late.
    assert (best.pledges_after, best.amount_after_minor) == (1, 13_400)
    # The week before: €44 and €1,137 on Nov 2 (the third pledge that day was dropped).
    assert best.expected_pledges == pytest.approx(2 * 2 / 7)
    assert best.expected_amount_minor == pytest.approx(118_100 * 2 / 7)
    assert best.amount_lift == pytest.approx(13_400 / (118_100 * 2 / 7))
    assert (quiet.pledges_after, quiet.expected_pledges, quiet.amount_lift) == (0, 0, None)
    assert best.pledges_source == quiet.pledges_source == "ledger"


def _total(session, campaign, at, backers, amount_minor, source="kickstarter"):
    snapshot = FundingSnapshot(
        campaign_id=campaign.id,
        taken_at=at,
        backers=backers,
        amount_minor=amount_minor,
        source=source,
    )
    session.add(snapshot)
    session.commit()


def _live_totals(session, campaign):
    # Live totals around a Nov 10 noon update: the week before, at it, and after its 48 h.
    for at, backers, amount_minor in (
        (datetime(2026, 11, 3, 9, tzinfo=UTC), 10, 100_000),
        (datetime(2026, 11, 10, 12, tzinfo=UTC), 17, 170_000),
        (datetime(2026, 11, 12, 15, tzinfo=UTC), 29, 230_000),
    ):
        _total(session, campaign, at, backers, amount_minor)


NOON = datetime(2026, 11, 10, 12, tzinfo=UTC)


def test_without_a_ledger_each_update_is_read_off_the_totals(client, session):
    owner = make_user(session)
    campaign = make_campaign(session, owner=owner, slug="live", currency="EUR")
    _live_totals(session, campaign)
    _post(session, campaign, "Prototype 3 sings", NOON)
    _post(session, campaign, "Between totals", datetime(2026, 11, 20, tzinfo=UTC))
    loud, unknown = update_impacts(session, campaign)
    assert (loud.pledges_after, loud.amount_after_minor, loud.pledges_source) == (
        12,
        60_000,
        "totals",
    )
    # The baseline too: 7 backers and €700 over the week before, scaled to 48 hours.
    assert loud.expected_pledges == pytest.approx(7 * 2 / 7)
    assert loud.amount_lift == pytest.approx(60_000 / (70_000 * 2 / 7))
    # No total within 6 hours of its window: unknown, not zero, and ranked after.
    assert (unknown.pledges_after, unknown.pledges_source, unknown.amount_lift) == (
        None,
        None,
        None,
    )
    assert unknown.expected_pledges is None
    client.login(owner.email)
    page = " ".join(client.get_text("/dashboard/live/insights/impact").split())
    assert "from totals" in page and "within 6 hours" in page
    german = " ".join(
        client.get_text(
            "/dashboard/live/insights/impact", headers={"Accept-Language": "de"}
        ).split()
    )
    assert "aus Gesamtständen" in german


def test_the_ledger_wins_over_totals_where_it_covers(session):
    campaign = make_campaign(session, currency="EUR", starts_on=date(2026, 10, 25))
    import_file(session, campaign, "ledger/kickstarter_v2.csv")
    _total(session, campaign, datetime(2026, 11, 3, 23, tzinfo=UTC), 0, 0)
    _total(session, campaign, datetime(2026, 11, 6, 1, tzinfo=UTC), 50, 900_000)
    _post(session, campaign, "Devlog: firmware beta", datetime(2026, 11, 4, tzinfo=UTC))
    (best,) = update_impacts(session, campaign)
    assert (best.pledges_after, best.amount_after_minor, best.pledges_source) == (
        1,
        13_400,
        "ledger",
    )


def test_cadence_warning(client, session):
    owner = make_user(session)
    today = utcnow().date()
    campaign = make_campaign(
        session, owner=owner, slug="quiet", cadence_days=14, starts_on=today - timedelta(days=20)
    )
    assert update_silence(session, campaign, today=today) == 20
    client.login(owner.email)
    page = client.get_text("/dashboard/quiet/")
    assert "No public update for 20 days: your cadence is every 14 days." in page
    _post(session, campaign, "Back with news", utcnow() - timedelta(days=3))
    assert update_silence(session, campaign, today=today) is None
    assert "No public update" not in client.get_text("/dashboard/quiet/")
    impact = client.get_text("/dashboard/quiet/insights/impact")
    assert "Back with news" in impact


def test_cadence_is_set_in_the_campaign_form(client, session):
    owner = make_user(session)
    make_campaign(session, owner=owner, slug="c1")
    client.login(owner.email)
    form = {
        "title": "C1",
        "slug": "c1",
        "goal": "100",
        "currency": "EUR",
        "starts_on": "2026-11-01",
        "ends_on": "2026-12-01",
        "platform": "other",
        "language": "en",
    }
    assert client.post("/dashboard/c1/edit", {**form, "cadence_days": "7"}).status_code == 303
    response = client.post("/dashboard/c1/edit", {**form, "cadence_days": "0"})
    assert response.status_code == 422


def test_insights_are_404_for_other_founders(client, session):
    make_campaign(session, slug="theirs")
    client.login(make_user(session).email)
    assert client.get("/dashboard/theirs/insights/impact").status_code == 404
