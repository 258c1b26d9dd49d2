"""The backers' page says where its funding figures come from and when they were read:
live platform figures between imports, an imported report, or recorded totals; live
figures whose platform channel fails are marked, and the JSON summary says the same."""

from datetime import UTC, datetime

from sqlalchemy import update

from tests.factories.feeds import make_channel
from tests.factories.pledges import import_file
from tracker.models import Channel, PledgeImport
from tracker.pledges.snapshots import record_snapshot

REPORT_AT = datetime(2026, 11, 10, 9, tzinfo=UTC)
LIVE_AT = datetime(2026, 11, 12, 18, 30, tzinfo=UTC)


def _snapshot(session, campaign, source, taken_at, amount_minor=900_000, backers=40):
    record_snapshot(
        session,
        campaign,
        amount_minor=amount_minor,
        backers=backers,
        source=source,
        taken_at=taken_at,
    )
    session.commit()


def _page(client):
    return " ".join(client.get_text("/c/synth").split())


def test_live_figures_between_imports_are_labelled_on_the_page_and_in_json(
    client, session, campaign
):
    import_file(session, campaign, "pledges/generic.csv")
    session.execute(update(PledgeImport).values(imported_at=REPORT_AT))
    session.commit()
    channel = make_channel(session, campaign, kind="kickstarter", origin="kickstarter")
    _snapshot(session, campaign, "kickstarter", LIVE_AT, amount_minor=2_000_000)
    page = _page(client)
    assert "Live figures from Kickstarter, read Nov 12, 2026, 6:30 PM UTC." in page
    assert (
        "The backer report imported Nov 10, 2026, 9:00 AM UTC counts for the days up to it." in page
    )
    assert "may be out of date" not in page
    summary = client.get_checked("/api/campaigns/synth.json").get_json()
    assert summary["pledged_minor"] == 2_000_000
    assert summary["figures_source"] == {
        "pledged": "live",
        "platform": "kickstarter",
        "live_at": LIVE_AT.isoformat(),
        "report_at": REPORT_AT.isoformat(),
        "recorded_at": None,
        "stale": False,
    }

    session.execute(update(Channel).where(Channel.id == channel.id).values(consecutive_errors=2))
    session.commit()
    page = _page(client)
    assert "Kickstarter could not be read since: the figures may be out of date." in page
    german = client.get_text("/c/synth", headers={"Accept-Language": "de"})
    assert "Live-Zahlen von Kickstarter" in german and "möglicherweise veraltet" in german
    summary = client.get_checked("/api/campaigns/synth.json").get_json()
    assert summary["figures_source"]["stale"] is True


def test_recorded_totals_say_when_they_were_recorded(client, session, campaign):
    _snapshot(session, campaign, "cli", datetime(2026, 11, 6, 8, tzinfo=UTC))
    _snapshot(session, campaign, "cli", datetime(2026, 11, 7, 8, tzinfo=UTC))
    page = _page(client)
    assert (
        "From recorded totals (no backer report imported), the latest of Nov 7, 2026, 8:00 AM UTC."
        in page
    )
    source = client.get_checked("/api/campaigns/synth.json").get_json()["figures_source"]
    assert source["pledged"] == "snapshots"
    assert source["recorded_at"] == datetime(2026, 11, 7, 8, tzinfo=UTC).isoformat()
