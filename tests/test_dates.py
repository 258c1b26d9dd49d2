"""One format for a day and one for a moment, everywhere, in the campaign's time zone, labelled."""

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.factories import make_campaign, make_milestone, make_user
from tests.factories.feedback import comment
from tests.factories.feeds import make_channel
from tracker.campaigns.milestones import change_milestone
from tracker.dates import format_day, format_moment, local_day, today_in
from tracker.feeds.store import store_entries
from tracker.models import Actor, utcnow

LATE = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)  # already Nov 28 in Berlin


def _plain(text: str) -> str:
    return text.replace("\u202f", " ").replace("\xa0", " ")


def test_a_day_reads_alike_everywhere_in_each_language():
    assert format_day(date(2026, 11, 27), locale="en") == "Nov 27, 2026"
    assert format_day(date(2026, 11, 27), locale="de") == "27. Nov. 2026"


@pytest.mark.parametrize(
    ("zone", "locale", "expected"),
    [
        ("Europe/Berlin", "en", "Nov 27, 2026, 2:05 PM CET"),
        ("Europe/Berlin", "de", "27. Nov. 2026, 14:05 CET"),
        ("UTC", "en", "Nov 27, 2026, 1:05 PM UTC"),
        ("America/New_York", "en", "Nov 27, 2026, 8:05 AM EST"),
        ("Asia/Kolkata", "de", "27. Nov. 2026, 18:35 IST"),
        ("No/Such_Zone", "en", "Nov 27, 2026, 1:05 PM UTC"),
        (None, "de", "27. Nov. 2026, 13:05 UTC"),
    ],
)
def test_a_moment_is_shown_in_the_campaigns_zone_and_names_it(zone, locale, expected):
    at = datetime(2026, 11, 27, 13, 5, tzinfo=UTC)
    assert _plain(format_moment(at, locale=locale, zone_name=zone)) == expected


def test_summer_time_is_named_as_such():
    at = datetime(2026, 7, 1, 12, tzinfo=UTC)
    assert _plain(format_moment(at, locale="de", zone_name="Europe/Berlin")).endswith("14:00 CEST")


def test_a_late_evening_in_utc_is_the_next_day_in_berlin():
    assert local_day(LATE, "Europe/Berlin") == date(2026, 11, 28)
    assert format_day(LATE, locale="en", zone_name="Europe/Berlin") == "Nov 28, 2026"
    assert format_day(LATE, locale="en") == "Nov 27, 2026"
    assert format_day(date(2026, 11, 27), locale="en", zone_name="Asia/Tokyo") == "Nov 27, 2026"


def test_today_is_the_campaigns_local_day():
    assert today_in("Europe/Berlin", now=LATE) == date(2026, 11, 28)
    assert today_in("America/New_York", now=LATE) == date(2026, 11, 27)
    assert today_in(None, now=LATE) == date(2026, 11, 27)


@pytest.fixture
def berlin(session):
    owner = make_user(session)
    campaign = make_campaign(
        session,
        owner=owner,
        slug="berlin",
        timezone="Europe/Berlin",
        starts_on=date(2026, 11, 1),
        ends_on=date(2026, 12, 20),
    )
    channel = make_channel(session, campaign)
    store_entries(session, channel, [comment("Devlog 7", at=LATE, author="Team")], now=utcnow())
    milestone = make_milestone(session, campaign, title="Beta", due_on=date(2026, 12, 4))
    change_milestone(
        session, milestone, actor=Actor(label="ana"), due_on=date(2026, 12, 11), now=LATE
    )
    session.commit()
    return owner, campaign


def test_the_public_page_dates_in_the_campaigns_zone(client, berlin):
    page = client.get("/c/berlin")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<time datetime="2026-11-27T23:30:00+00:00">Nov 28, 2026</time>' in html
    assert "“Beta” moved from Dec 4, 2026 to Dec 11, 2026" in html
    german = client.get("/c/berlin", headers={"Accept-Language": "de"})
    assert german.status_code == 200
    assert ">28. Nov. 2026</time>" in german.get_data(as_text=True)


def test_the_dashboard_shows_moments_with_their_zone(client, berlin):
    owner, _ = berlin
    assert client.login(owner.email).status_code == 303
    page = client.get("/dashboard/berlin/")
    assert page.status_code == 200
    html = _plain(page.get_data(as_text=True))
    assert ">Nov 28, 2026, 12:30 AM CET</time>" in html


def test_the_atom_feed_words_dates_like_the_page(client, berlin):
    feed = client.get("/c/berlin/feed.atom")
    assert feed.status_code == 200
    assert "“Beta” moved from Dec 4, 2026 to Dec 11, 2026" in feed.get_data(as_text=True)


def test_an_ended_campaigns_card_names_its_last_day(app, session):
    from tracker.views.public import cached_funding
    from tracker.views.syndication import share_card_content

    campaign = make_campaign(
        session,
        slug="over",
        starts_on=date(2026, 10, 1),
        ends_on=date(2026, 11, 17),
        language="de",
    )
    with app.test_request_context("/c/over/card.png"):
        today = date(2026, 11, 17) + timedelta(days=3)
        card = share_card_content(campaign, cached_funding(session, campaign), today=today)
    assert card.goal_line.endswith("beendet am 17. Nov. 2026")


def test_a_milestone_done_late_in_the_evening_utc_is_done_on_the_local_day(session):
    campaign = make_campaign(session, timezone="Europe/Berlin")
    milestone = make_milestone(session, campaign, title="PCB")
    change_milestone(session, milestone, actor=Actor(label="ana"), status="done", now=LATE)
    assert milestone.completed_on == date(2026, 11, 28)


def test_templates_pass_the_date_filters_no_format():
    # One format for a day and one for a moment: a "short" or "medium" would be ignored.
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parents[1] / "templates"
    with_format = re.compile(r"\|\s*(date|datetime)format\s*\(")
    found = [
        f"{path.relative_to(templates)}:{number}"
        for path in sorted(templates.glob("**/*.html"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if with_format.search(line)
    ]
    assert found == []
