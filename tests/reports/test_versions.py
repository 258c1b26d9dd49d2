"""Publishing asks first; publishing a period again makes version 2 of it, said on the public
list, in the Atom feed and in the PDF, while version 1 stays at its URL, marked superseded."""

import re
import threading
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from tests.factories import make_campaign
from tests.factories.reports import NOVEMBER, make_report_campaign, pdf_text
from tracker.errors import InvalidInput
from tracker.models import Actor, PublishedReport
from tracker.reports.periods import month_period
from tracker.reports.publishing import next_edition, publish_report, published_reports

PDF = b"%PDF-1.7 test "
NOVEMBER_ARGS = {"kind": "month", "month": NOVEMBER}
LABEL_2 = r"Version 2, replaces the one of (\w+ \d+, \d{4})"


def _publish(session, campaign, month, language="en", *, at, edition=None):
    report = publish_report(
        session,
        campaign,
        pdf=PDF + month.encode(),
        pages=1,
        period=month_period(month),
        language=language,
        title=f"Report {month}",
        actor=Actor(label="test"),
        issued_at=at,
        edition=edition,
    )
    session.commit()
    return report


def _day(n: int) -> datetime:
    return datetime(2026, 12, n, 10, tzinfo=UTC)


def test_only_the_same_period_in_the_same_language_makes_a_new_version(session):
    campaign = make_campaign(session)
    assert next_edition(session, campaign, month_period(NOVEMBER), "en").revision == 1
    first = _publish(session, campaign, NOVEMBER, at=_day(1))
    _publish(session, campaign, "2026-10", at=_day(2))
    edition = next_edition(session, campaign, month_period(NOVEMBER), "en")
    assert (edition.revision, edition.replaces_version, edition.replaces_issued_at) == (
        2,
        first.version,
        _day(1),
    )
    second = _publish(session, campaign, NOVEMBER, at=_day(3), edition=edition)
    _publish(session, campaign, NOVEMBER, "de", at=_day(4))
    listed = {item.version: item for item in published_reports(session, campaign)}
    assert {v: (i.revision, i.replaces_version, i.newest_version) for v, i in listed.items()} == {
        1: (1, None, 3),
        2: (1, None, 2),
        3: (2, 1, 3),
        4: (1, None, 4),
    }
    assert listed[1].superseded and not listed[3].superseded
    assert (listed[1].newest_revision, listed[1].newest_issued_at) == (2, _day(3))
    assert listed[3].replaces_issued_at == _day(1)
    assert second.version == 3


def test_a_version_published_meanwhile_is_refused_not_overwritten(session):
    campaign = make_campaign(session)
    seen = next_edition(session, campaign, month_period(NOVEMBER), "en")
    _publish(session, campaign, NOVEMBER, at=_day(1))
    with pytest.raises(InvalidInput, match="published meanwhile"):
        _publish(session, campaign, NOVEMBER, at=_day(2), edition=seen)
    session.rollback()
    assert len(session.exec(select(PublishedReport)).all()) == 1


def test_publishing_asks_for_confirmation_first(client, session, founder):
    campaign = make_report_campaign(session, owner=founder)
    base = f"/dashboard/{campaign.slug}/reports"
    response = client.post(f"{base}/publish", {**NOVEMBER_ARGS, "note": "Thanks <b>all</b>"})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Publish this report?" in page and "cannot be changed or withdrawn" in page
    assert 'name="confirmed" value="yes"' in page and 'name="csrf_token"' in page
    assert 'name="note" value="Thanks &lt;b&gt;all&lt;/b&gt;"' in page
    assert session.exec(select(PublishedReport)).all() == []
    assert client.get(f"{base}/publish").status_code == 405  # no state change on GET
    unsigned = client.raw.post(f"{base}/publish", data={**NOVEMBER_ARGS, "confirmed": "yes"})
    assert unsigned.status_code == 400  # no CSRF token
    assert session.exec(select(PublishedReport)).all() == []
    response = client.post(f"{base}/publish", {**NOVEMBER_ARGS, "confirmed": "yes"})
    assert response.status_code == 303
    assert "Published as version 1." in client.get_text(response.location)
    assert len(session.exec(select(PublishedReport)).all()) == 1


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_a_version_published_while_the_pdf_rendered_asks_again(client, session, founder):
    """The view's write meets another publication's: 409, asking again about version 2."""
    campaign = make_report_campaign(session, owner=founder)
    engine = session.get_bind()
    other = Session(engine, expire_on_commit=False)
    publish_report(
        other,
        other.merge(campaign),
        pdf=PDF,
        pages=1,
        period=month_period(NOVEMBER),
        language="en",
        title="Published meanwhile",
        actor=Actor(label="test"),
    )  # version 1, not committed yet: the view's INSERT of version 1 waits for it
    other_xid = other.scalar(text("SELECT pg_current_xact_id()::text"))
    answers = []
    thread = threading.Thread(
        target=lambda: answers.append(
            client.post(
                f"/dashboard/{campaign.slug}/reports/publish",
                {**NOVEMBER_ARGS, "confirmed": "yes"},
            )
        )
    )
    thread.start()
    waiting = text(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'transactionid' "
        "AND transactionid::text = :xid AND NOT granted"
    )
    with engine.connect() as watcher:
        deadline = datetime.now(UTC) + timedelta(seconds=60)  # the PDF renders first
        while thread.is_alive() and datetime.now(UTC) < deadline:
            if watcher.execute(waiting, {"xid": other_xid}).scalar():
                break  # the view's write waits for the other publication
            thread.join(0.01)
    other.commit()
    other.close()
    thread.join(60)
    (answer,) = answers
    assert answer.status_code == 409
    assert "published meanwhile" in answer.text
    assert re.search(LABEL_2.replace("Version 2, replaces", "version 2, replacing"), answer.text)
    session.expire_all()
    titles = [report.title for report in session.exec(select(PublishedReport)).all()]
    assert titles == ["Published meanwhile"]


# Two PDF renders, two PDF reads and a JVM run: the view's flow on SQLite alone. What the
# public pages say of the versions runs on both databases in the test after this one, the
# numbering in the domain tests above, the view's 409 on PostgreSQL in the test before.
@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_the_same_period_again_is_version_2_everywhere(
    client, session, founder, tmp_path, nu_checker
):
    campaign = make_report_campaign(session, owner=founder)
    base, public = f"/dashboard/{campaign.slug}/reports", f"/c/{campaign.slug}"
    confirmed = {**NOVEMBER_ARGS, "confirmed": "yes", "revision": "1"}
    assert client.post(f"{base}/publish", confirmed).status_code == 303
    first = client.get_checked(f"{public}/reports/1.pdf").data
    assert not re.search(r"Version \d", pdf_text(first, tmp_path))
    asking = client.post(f"{base}/publish", NOVEMBER_ARGS)
    assert asking.status_code == 200
    assert re.search(LABEL_2.replace("Version 2, replaces", "version 2, replacing"), asking.text)
    stale = client.post(f"{base}/publish", confirmed)  # the page said version 1: ask again
    assert stale.status_code == 409 and "published meanwhile" in stale.text
    response = client.post(f"{base}/publish", {**confirmed, "revision": "2"})
    assert response.status_code == 303
    flash = client.get_text(response.location)
    assert re.search(
        LABEL_2.replace("Version 2, replaces", "Published as version 2, replacing"), flash
    )

    second_pdf = client.get_checked(f"{public}/reports/2.pdf").data
    (replaced_day,) = re.findall(LABEL_2, " ".join(pdf_text(second_pdf, tmp_path).split()))
    assert client.get_checked(f"{public}/reports/1.pdf").data == first  # still there
    pages = {"confirmation": asking.data, "dashboard": client.get_checked(f"{base}/").data}
    client.logout()
    _assert_the_public_pages_tell_the_versions(client, public, replaced_day)
    for name in ("reports", "timeline"):
        pages[name] = client.get_checked(f"{public}/{name}").data
    assert nu_checker.errors(pages) == []


def test_the_public_pages_say_which_version_replaces_which(client, session, owner):
    campaign = make_report_campaign(session, owner=owner)
    now = datetime.now(UTC)
    first = _publish(session, campaign, NOVEMBER, at=now - timedelta(days=2))
    edition = next_edition(session, campaign, month_period(NOVEMBER), "en")
    _publish(session, campaign, NOVEMBER, at=now - timedelta(days=1), edition=edition)
    public = f"/c/{campaign.slug}"
    listing = " ".join(re.sub(r"<[^>]+>", " ", client.get_text(f"{public}/reports")).split())
    (replaced_day,) = re.findall(LABEL_2, listing)
    _assert_the_public_pages_tell_the_versions(client, public, replaced_day)
    old = client.get_checked(f"{public}/reports/1.pdf")
    assert old.data == PDF + NOVEMBER.encode() and first.version == 1  # still there


def test_cli_publishing_twice_makes_version_2(cli, session, owner, tmp_path):
    make_report_campaign(session, owner=owner, slug="lumen")
    args = ("report", "lumen", "--period", NOVEMBER, "-o", tmp_path / "r.pdf", "--publish")
    result = cli(*args)
    assert result.exit_code == 0, result.output
    assert "published as version 1 (http://localhost/c/lumen/reports/1.pdf)" in result.output
    result = cli(*args)
    assert result.exit_code == 0, result.output
    assert re.search(
        LABEL_2.replace("Version 2, replaces", "published as version 2, replacing")
        + r" \(http://localhost/c/lumen/reports/2\.pdf\)",
        result.output,
    )
    assert re.search(
        LABEL_2, " ".join(pdf_text((tmp_path / "r.pdf").read_bytes(), tmp_path).split())
    )


def _assert_the_public_pages_tell_the_versions(client, public: str, replaced_day: str) -> None:
    """Assert the reports list, the Atom feed, the timeline and 1.pdf's Link tell version 2."""
    listing = " ".join(re.sub(r"<[^>]+>", " ", client.get_text(f"{public}/reports")).split())
    assert f"Version 2, replaces the one of {replaced_day}" in listing
    assert re.search(r"Superseded by version 2 of \w+ \d+, \d{4}", listing)
    older = client.get_text(f"{public}/reports").split('id="report-1"', 1)[1].split("</li>")[0]
    assert f'href="{public}/reports/2.pdf"' in older and "superseded" in older
    feed = feedparser.parse(client.get_checked(f"{public}/feed.atom").data)
    reports = {e.link.rsplit("/", 1)[1]: e for e in feed.entries if "/reports/" in e.link}
    assert reports["2.pdf"].title.endswith(f"Version 2, replaces the one of {replaced_day}")
    assert "Superseded by version 2 of" in reports["1.pdf"].title
    timeline = " ".join(re.sub(r"<[^>]+>", " ", client.get_text(f"{public}/timeline")).split())
    assert f"Version 2, replaces the one of {replaced_day}" in timeline
    assert re.search(r"Superseded by version 2 of \w+ \d+, \d{4}", timeline)
    link = client.get_checked(f"{public}/reports/1.pdf").headers["Link"]
    assert link == f'<{public}/reports/2.pdf>; rel="successor-version"'
