"""Which source each funding figure comes from, and a report's precedence over live figures."""

import json
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update

from tests.factories.pledges import import_file
from tracker.models import FundingSnapshot, PledgeImport
from tracker.pledges.funding import net_total, summarize_funding
from tracker.pledges.funding_json import funding_as_dict
from tracker.pledges.snapshots import record_snapshot

REPORT_DAY = datetime(2026, 11, 10, 9, tzinfo=UTC)
TODAY = date(2026, 11, 20)


def at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def live(session, campaign, taken_at, amount_minor, backers, source="kickstarter"):
    record_snapshot(
        session,
        campaign,
        amount_minor=amount_minor,
        backers=backers,
        source=source,
        taken_at=taken_at,
    )
    session.commit()


@pytest.fixture
def report(session, campaign):
    import_file(session, campaign, "pledges/generic.csv")
    session.execute(update(PledgeImport).values(imported_at=REPORT_DAY))
    session.commit()
    return summarize_funding(session, campaign, today=TODAY)


def test_live_figures_alone_are_labelled_live(session, campaign):
    live(session, campaign, at(5), 100_000, 10)
    live(session, campaign, at(6), 150_000, 14)
    summary = summarize_funding(session, campaign, today=TODAY)
    assert (summary.net_minor, summary.backers) == (150_000, 14)
    assert summary.sources == {
        "net_minor": "live",
        "backers": "live",
        "gross_minor": "live",
        "curve": "live",
    }
    assert summary.live_platform == "kickstarter" and summary.live_at == at(6)
    assert [p.source for p in summary.curve] == ["live", "live"]


def test_pushed_totals_are_snapshots_and_each_day_keeps_its_source(session, campaign):
    live(session, campaign, at(5), 100_000, 10, source="cli")
    live(session, campaign, at(6), 150_000, 14)
    summary = summarize_funding(session, campaign, today=TODAY)
    assert [p.source for p in summary.curve] == ["snapshots", "live"]
    assert summary.sources["curve"] == "live+snapshots"
    assert summary.sources["net_minor"] == "live"


def test_a_report_wins_for_the_days_it_covers(session, campaign, report):
    # Live figures up to the report's import day (itself included) are replaced by it.
    live(session, campaign, at(8), 1, 1)
    live(session, campaign, at(10, 20), 2, 2)
    summary = summarize_funding(session, campaign, today=TODAY)
    assert (summary.net_minor, summary.backers) == (report.net_minor, report.backers)
    assert set(summary.sources.values()) == {"report"}
    assert all(point.source == "report" for point in summary.curve)
    assert summary.report_at == REPORT_DAY and summary.live_at is None
    assert net_total(session, campaign) == report.net_minor


def test_live_figures_after_the_report_carry_the_totals_on(session, campaign, report):
    live(session, campaign, at(12), report.net_minor + 5_000, report.backers + 2)
    live(session, campaign, at(13, 8), report.net_minor + 9_000, report.backers + 3)
    live(session, campaign, at(13, 18), report.net_minor + 9_900, report.backers + 4)
    summary = summarize_funding(session, campaign, today=TODAY)
    assert summary.net_minor == report.net_minor + 9_900
    assert summary.backers == report.backers + 4
    assert summary.gross_minor == report.gross_minor  # breakdowns stay the report's
    assert summary.sources["net_minor"] == "live" and summary.sources["gross_minor"] == "report"
    assert summary.sources["curve"] == "report+live"
    assert summary.curve[: len(report.curve)] == report.curve
    tail = [(p.day, p.amount_minor, p.source) for p in summary.curve[len(report.curve) :]]
    assert tail == [
        (date(2026, 11, 12), report.net_minor + 5_000, "live"),
        (date(2026, 11, 13), report.net_minor + 9_900, "live"),
    ]
    assert net_total(session, campaign) == report.net_minor + 9_900
    data = funding_as_dict(summary)
    assert data["curve"][-1]["source"] == "live" and data["live_at"] == at(13, 18).isoformat()


def test_a_later_report_takes_the_live_days_back(session, campaign, report):
    live(session, campaign, at(12), report.net_minor + 5_000, report.backers + 2)
    session.execute(update(PledgeImport).values(imported_at=at(12, 23)))
    session.commit()
    summary = summarize_funding(session, campaign, today=TODAY)
    assert summary.net_minor == report.net_minor
    assert set(summary.sources.values()) == {"report"}


def test_cli_summary_json_and_export_name_each_figures_source(cli, session, campaign, report):
    live(session, campaign, at(12), report.net_minor + 5_000, report.backers + 2)
    result = cli("pledges", "summary", campaign.slug, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["sources"]["net_minor"] == "live" and data["sources"]["breakdowns"] == "report"
    assert {point["source"] for point in data["curve"]} == {"report", "live"}
    exported = cli("export", campaign.slug)
    assert exported.exit_code == 0, exported.output
    assert json.loads(exported.output)["funding"]["sources"] == data["sources"]


def test_the_pages_say_where_the_figures_come_from(client, founder, session, campaign, report):
    dashboard = client.get_text(f"/dashboard/{campaign.slug}/funding/")
    assert "From the backer report imported Nov 10, 2026" in dashboard
    live(session, campaign, at(12), report.net_minor + 5_000, report.backers + 2)
    public = client.get_text(f"/c/{campaign.slug}")
    assert "Live figures from Kickstarter, read Nov 12, 2026" in public
    assert "The backer report imported Nov 10, 2026" in public
    assert session.query(FundingSnapshot).count() == 1
