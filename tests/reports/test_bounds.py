"""A report's lists are bounded however busy the period, and the report says so."""

import runpy
from datetime import date
from pathlib import Path

from tests.factories import make_user
from tests.factories.feeds import make_channel
from tests.factories.reports import (
    NOVEMBER,
    add_many_reached_milestones,
    add_many_updates,
    make_report_campaign,
    pdf_text,
)
from tracker import config
from tracker.reports.contents import UPDATES_LISTED, gather_report
from tracker.reports.milestones import MILESTONES_LISTED
from tracker.reports.periods import month_period

ROOT = Path(__file__).resolve().parents[2]
MANY_UPDATES = 1_000
# The factory's November holds 4 updates and 1 milestone reached already.
ALL_UPDATES, ALL_REACHED = MANY_UPDATES + 4, MILESTONES_LISTED + 11


def test_a_busy_month_lists_the_most_recent_and_counts_everything(app, client, session, tmp_path):
    # What is bounded here is the document; a busy test machine must not fail on time.
    app.config["REPORT_TIMEOUT_SECONDS"] = 120
    owner = make_user(session)
    campaign = make_report_campaign(session, owner=owner)
    add_many_updates(session, make_channel(session, campaign), MANY_UPDATES, date(2026, 11, 25))
    add_many_reached_milestones(session, campaign, ALL_REACHED - 1, date(2026, 11, 26))
    report = gather_report(
        session, campaign, period=month_period(NOVEMBER), issued_on=date(2026, 11, 30)
    )
    listed = {line.title for group in report.updates for line in group.updates}
    assert listed == {f"Build log {n}" for n in range(801, 1001)}  # the 200 most recent
    assert (report.update_count, report.updates_listed) == (ALL_UPDATES, UPDATES_LISTED)
    moves = report.milestones
    assert (len(moves.reached), moves.reached_count) == (MILESTONES_LISTED, ALL_REACHED)
    assert moves.reached[0].title == "Prototype board"  # roadmap order

    client.login(owner.email)
    base = f"/dashboard/{campaign.slug}/reports"
    page = client.get(f"{base}/", query_string={"kind": "month", "month": NOVEMBER})
    assert page.status_code == 200
    assert f"<dd>{ALL_REACHED}</dd>" in page.get_data(as_text=True)
    response = client.post(f"{base}/export", {"kind": "month", "month": NOVEMBER})
    assert response.status_code == 200, response.get_data(as_text=True)[-300:]
    assert response.mimetype == "application/pdf"
    text = " ".join(pdf_text(response.data, tmp_path).split())
    assert "1004 updates posted in this period." in text
    assert "Showing the 200 most recent of 1,004 updates." in text
    assert f"Showing the first {MILESTONES_LISTED} of {ALL_REACHED}." in text
    assert "Build log 1000" in text


def test_the_report_time_limit_stays_below_gunicorns():
    # gunicorn reads ./gunicorn.conf.py; a worker it kills never sends the clean 503.
    gunicorn = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config.REPORT_TIMEOUT_SECONDS <= 20
    assert gunicorn["timeout"] >= 2 * config.REPORT_TIMEOUT_SECONDS
