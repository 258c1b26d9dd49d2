"""Report periods, and published reports as immutable numbered versions."""

import json
from datetime import date
from pathlib import Path

import jsonschema
import pytest

from tests.factories import make_campaign
from tracker.errors import InvalidInput, NotFound
from tracker.export import export_campaign
from tracker.models import Actor
from tracker.reports.periods import (
    Period,
    choose_period,
    month_period,
    parse_date,
    range_period,
    since_last_period,
)
from tracker.reports.publishing import get_published_report, publish_report, published_reports

PDF = b"%PDF-1.7 test"


def test_month_and_range_periods():
    november = month_period("2026-11")
    assert (november.start, november.end, november.month) == (
        date(2026, 11, 1),
        date(2026, 11, 30),
        "2026-11",
    )
    assert month_period("2028-02").end == date(2028, 2, 29)
    assert month_period("2026-12").end == date(2026, 12, 31)
    for bad in ("2026-13", "11/2026", "", "2026-1"):
        with pytest.raises(InvalidInput, match="not a month"):
            month_period(bad)
    with pytest.raises(InvalidInput, match="comes before"):
        range_period(date(2026, 11, 20), date(2026, 11, 1))
    with pytest.raises(InvalidInput, match="first day"):
        range_period(None, date(2026, 11, 1))
    with pytest.raises(InvalidInput, match="not a date"):
        parse_date("2026-11-31", "from")
    assert Period(date(2026, 11, 1), date(2026, 11, 1)).contains(date(2026, 11, 1))


def _publish(session, campaign, period, title):
    report = publish_report(
        session,
        campaign,
        pdf=PDF + title.encode(),
        pages=1,
        period=period,
        language="en",
        title=title,
        actor=Actor(label="test"),
    )
    session.commit()
    return report


def test_since_last_starts_after_the_newest_published_report(session):
    campaign = make_campaign(session, starts_on=date(2026, 10, 1))
    today = date(2026, 11, 26)
    assert since_last_period(session, campaign, today=today) == Period(
        date(2026, 10, 1), today, "since_last"
    )
    _publish(session, campaign, month_period("2026-10"), "October")
    assert since_last_period(session, campaign, today=today).start == date(2026, 11, 1)
    with pytest.raises(InvalidInput, match="already covers today"):
        since_last_period(session, campaign, today=date(2026, 10, 31))
    with pytest.raises(InvalidInput, match="Choose one of"):
        choose_period(session, campaign, kind="week", today=today)


def test_publishing_again_makes_a_new_version_and_keeps_the_old(session):
    campaign, other = make_campaign(session), make_campaign(session)
    first = _publish(session, campaign, month_period("2026-11"), "November")
    second = _publish(session, campaign, month_period("2026-11"), "November, corrected")
    _publish(session, other, month_period("2026-11"), "Other")
    assert (first.version, second.version) == (1, 2)
    listed = published_reports(session, campaign)
    assert [(item.version, item.title) for item in listed] == [
        (2, "November, corrected"),
        (1, "November"),
    ]
    kept = get_published_report(session, campaign, 1)
    assert kept.pdf == PDF + b"November" and len(kept.sha256) == 64
    with pytest.raises(NotFound):
        get_published_report(session, campaign, 3)
    with pytest.raises(InvalidInput, match="not a PDF"):
        publish_report(
            session,
            campaign,
            pdf=b"<html>",
            pages=1,
            period=month_period("2026-11"),
            language="en",
            title="x",
            actor=Actor(label="test"),
        )


def test_export_lists_published_reports_without_their_bytes(session):
    schema = json.loads((Path(__file__).parents[2] / "docs/export-schema.json").read_text())
    campaign = make_campaign(session)
    _publish(session, campaign, month_period("2026-11"), "November")
    document = export_campaign(session, campaign)
    jsonschema.validate(document, schema)
    [item] = document["reports"]
    assert (item["version"], item["title"], item["period_end"]) == (1, "November", "2026-11-30")
    assert "pdf" not in item and len(item["sha256"]) == 64


def test_a_period_is_made_of_the_campaigns_local_days(session):
    from datetime import UTC, datetime

    campaign = make_campaign(session, timezone="Europe/Berlin")
    period = choose_period(
        session, campaign, kind="month", month="2026-11", today=date(2026, 12, 1)
    )
    assert period.starts_at == datetime(2026, 10, 31, 23, tzinfo=UTC)
    assert period.ends_before == datetime(2026, 11, 30, 23, tzinfo=UTC)
    assert not period.contains(datetime(2026, 11, 30, 23, 30, tzinfo=UTC))  # Dec 1 in Berlin
    assert period.contains(datetime(2026, 10, 31, 23, 30, tzinfo=UTC))  # Nov 1 in Berlin
