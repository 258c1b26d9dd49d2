"""Conditional GET on public pages: ETag and Last-Modified, 304 on repeat, 200 after a change."""

from datetime import date, timedelta

import pytest
from sqlmodel import select

from tests.factories import make_campaign, make_milestone
from tests.showcase import SHOWCASE_EMAIL, seed_showcase
from tracker.campaigns.campaigns import CampaignInput, update_campaign
from tracker.campaigns.milestones import change_milestone, move_milestone
from tracker.models import Actor, Milestone, utcnow

ACTOR = Actor(label="test")
# What the request adds to a page's version (language, day, session, flash, mount point) and
# the microcache do not depend on the database: those tests run on SQLite only. What the data
# adds (a milestone, the order, the campaign, a published one, 304 on repeat) runs on both.
REQUEST_SIDE = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def showcase(session):
    return seed_showcase(session)[1]


def _get(client, url, response=None, **headers):
    if response is not None:
        headers.setdefault("If-None-Match", response.headers["ETag"])
    return client.get(url, headers=headers)


def _page(client, url):
    """GET a page anew (no validators): it is a 200 with its validators."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def _milestone(session, title):
    return session.exec(select(Milestone).where(Milestone.title == title)).one()


@pytest.mark.parametrize("url", ["/c/lumen-deck", "/"])
def test_repeat_request_gets_304_with_the_same_validators(client, showcase, url):
    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["ETag"].startswith('W/"')
    assert first.headers["Cache-Control"] == "public, max-age=60"
    assert {"Cookie", "Accept-Language"} <= {v.strip() for v in first.headers["Vary"].split(",")}
    assert "Set-Cookie" not in first.headers  # no session for anonymous backers
    again = _get(client, url, first)
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == "public, max-age=60"
    since = _get(client, url, **{"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304


def test_milestone_change_makes_the_page_new(client, session, showcase):
    first = _page(client, "/c/lumen-deck")
    change_milestone(session, _milestone(session, "Shipping"), actor=ACTOR, progress=40)
    session.commit()
    changed = _get(client, "/c/lumen-deck", first)
    assert changed.status_code == 200
    assert "40 %" in changed.get_data(as_text=True)
    assert changed.headers["ETag"] != first.headers["ETag"]
    assert _get(client, "/c/lumen-deck", changed).status_code == 304


def test_reorder_new_milestone_and_campaign_edit_each_make_it_new(client, session, showcase):
    response = _page(client, "/c/lumen-deck")
    steps = [
        lambda: move_milestone(session, _milestone(session, "Shipping"), direction="up"),
        lambda: make_milestone(session, showcase, title="Manual", due_on=date(2030, 1, 1)),
        lambda: update_campaign(session, showcase, _campaign_input(showcase, tagline="New words")),
    ]
    for step in steps:
        step()
        session.commit()
        response = _get(client, "/c/lumen-deck", response)
        assert response.status_code == 200
    assert "New words" in response.get_data(as_text=True)


def test_private_milestone_change_keeps_the_public_version(client, session, showcase):
    first = _page(client, "/c/lumen-deck")
    make_milestone(session, showcase, title="Another secret", is_public=False)
    assert _get(client, "/c/lumen-deck", first).status_code == 304


@REQUEST_SIDE
def test_language_gives_another_version(client, showcase):
    english = _page(client, "/c/lumen-deck")
    german = _get(client, "/c/lumen-deck", english, **{"Accept-Language": "de"})
    assert german.status_code == 200
    assert german.headers["ETag"] != english.headers["ETag"]
    assert _get(client, "/c/lumen-deck", german, **{"Accept-Language": "de"}).status_code == 304


@REQUEST_SIDE
def test_next_day_gives_another_version(client, showcase, monkeypatch):
    # "N days late" is measured against today, so the version includes the date.
    first = _page(client, "/c/lumen-deck")
    tomorrow = utcnow() + timedelta(days=1)
    monkeypatch.setattr("tracker.views.caching.utcnow", lambda: tomorrow)
    second = _get(client, "/c/lumen-deck", first)
    assert second.status_code == 200
    assert second.headers["Last-Modified"] != first.headers["Last-Modified"]


@REQUEST_SIDE
def test_team_member_gets_a_private_revalidated_version(client, session, showcase):
    anonymous = _page(client, "/c/lumen-deck")
    client.login(SHOWCASE_EMAIL)
    member = _get(client, "/c/lumen-deck", anonymous)
    assert member.status_code == 200
    assert member.headers["Cache-Control"] == "private, no-cache"
    assert "Manage this campaign" in member.get_data(as_text=True)
    assert _get(client, "/c/lumen-deck", member).status_code == 304


@REQUEST_SIDE
def test_draft_is_private_to_the_team_and_never_cached_publicly(client, session):
    owner, _ = seed_showcase(session)
    make_campaign(session, owner, slug="draft", is_public=False)
    assert client.get("/c/draft").status_code == 404
    client.login(SHOWCASE_EMAIL)
    response = _page(client, "/c/draft")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-cache"


@REQUEST_SIDE
def test_a_pending_flash_message_is_shown_not_answered_with_304(client, session, showcase):
    first = _page(client, "/")
    client.login(SHOWCASE_EMAIL)
    client.logout()  # flashes "You are logged out." for the next page
    response = _get(client, "/", first)
    assert response.status_code == 200
    assert "You are logged out." in response.get_data(as_text=True)


def test_index_changes_when_a_campaign_is_published(client, session, showcase):
    first = _page(client, "/")
    make_campaign(session, slug="second", title="Second one")
    response = _get(client, "/", first)
    assert response.status_code == 200
    assert "Second one" in response.get_data(as_text=True)


def _campaign_input(campaign, **changes):
    fields = CampaignInput.__dataclass_fields__
    return CampaignInput(**{name: getattr(campaign, name) for name in fields} | changes)


@REQUEST_SIDE
def test_anonymous_responses_are_reused_for_a_moment(app, client, session):
    _, campaign = seed_showcase(session)
    app.config["PUBLIC_MICROCACHE_SECONDS"] = 60
    first = _page(client, "/c/lumen-deck")
    make_milestone(session, campaign, title="Brand new step")
    reused = _page(client, "/c/lumen-deck")
    assert reused.get_data() == first.get_data()  # within the window: the kept response
    assert "Brand new step" not in reused.get_data(as_text=True)
    assert (
        client.get("/c/lumen-deck", headers={"If-None-Match": first.headers["ETag"]}).status_code
        == 304
    )
    app.config["PUBLIC_MICROCACHE_SECONDS"] = 0
    assert "Brand new step" in client.get_text("/c/lumen-deck")


@REQUEST_SIDE
@pytest.mark.parametrize("microcache", [0, 60])
def test_where_the_app_is_mounted_is_part_of_every_cache_key(app, client, session, microcache):
    # Relative links carry the mount point (SCRIPT_NAME, or a proxy's X-Forwarded-Prefix).
    seed_showcase(session)
    app.config["PUBLIC_MICROCACHE_SECONDS"] = microcache
    mounted = client.get("/c/lumen-deck", base_url="http://localhost/elsewhere")
    assert mounted.status_code == 200
    assert 'href="/elsewhere/c/lumen-deck/feed.atom"' in mounted.get_data(as_text=True)
    plain = client.get("/c/lumen-deck")
    assert plain.status_code == 200
    assert "/elsewhere/" not in plain.get_data(as_text=True)
