"""What the founder pastes on the dashboard is checked before anything is fetched: the
same channel twice, whatever its kind of URL, a text that is no URL, a Kickstarter URL
that is not a project's (#13)."""

import pytest
from sqlalchemy import select

from tests.factories import make_campaign, make_user
from tracker.models import Channel

HX = {"HX-Request": "true"}
ADD = "/dashboard/synth/feeds/channels"


@pytest.fixture
def campaign(app, client, session):
    owner = make_user(session)
    client.login(owner.email)
    return make_campaign(session, owner=owner, slug="synth")


def _channels(session):
    session.rollback()
    session.expire_all()
    return session.scalars(select(Channel).order_by(Channel.id)).all()


def _add(client, url, status):
    response = client.post(ADD, {"url": url, "role": "updates"}, headers=HX)
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("first", "again"),
    [
        ("https://x.com/name", "https://x.com/name"),
        ("https://x.com/name", "x.com/Name/"),
        ("https://twitter.com/name", "https://www.x.com/name"),
        ("https://www.instagram.com/studio/", "instagram.com/studio"),
        ("https://blog.example.com/devlog", "blog.example.com/devlog/"),
        ("https://mastodon.example/@lumen", "https://mastodon.example/@lumen/"),
        (
            "https://www.kickstarter.com/projects/lumen/deck",
            "kickstarter.com/projects/lumen/deck/description",
        ),
    ],
)
def test_the_same_channel_twice_is_refused_whatever_its_url(
    client, session, campaign, first, again
):
    _add(client, first, 200)
    html = _add(client, again, 422)
    assert "already follows" in html
    assert len(_channels(session)) == 1


def test_a_text_that_is_no_url_is_refused_at_once(client, session, campaign):
    html = _add(client, "not a url at all", 422)
    assert "is not a URL" in html
    assert _channels(session) == []


@pytest.mark.parametrize(
    "url", ["https://www.kickstarter.com/discover/categories/games", "kickstarter.com/projects/x"]
)
def test_a_kickstarter_url_must_be_a_projects(client, session, campaign, url):
    html = _add(client, url, 422)
    assert "Use a Kickstarter project URL" in html
    assert _channels(session) == []
