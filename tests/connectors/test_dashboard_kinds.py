"""The dashboard tells a URL's kind the way `tracker feeds add` does (one function), and
its Kind select forces one as --kind does."""

import re

import pytest
from sqlalchemy import delete, select

from tracker.connectors.kinds import KINDS
from tracker.models import Channel

# Every one resolves without a fetch, on the dashboard and in the CLI.
URLS = [
    "https://www.kickstarter.com/projects/maker/synth",
    "https://opencollective.com/synth",
    "https://news.ycombinator.com/item?id=123",
    "https://www.reddit.com/r/synth/comments/abc1/show_reddit/",
    "https://indie.example/@ada",
    "https://bsky.app/profile/ada.example",
    "https://github.com/ada/synth",
    "https://www.youtube.com/channel/UC1234567890123456789012",
    "r/synth",
]


def _add(client, campaign, status, **form):
    response = client.post(
        f"/dashboard/{campaign.slug}/feeds/channels", {"role": "updates", **form}
    )
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


def _channels(session):
    session.rollback()
    session.expire_all()
    return session.scalars(select(Channel).order_by(Channel.id)).all()


def _shape(channel):
    return channel.kind, channel.origin, channel.feed_url


@pytest.mark.parametrize("url", URLS)
def test_the_dashboard_gives_the_channel_the_cli_gives(
    cli, client, founder, session, campaign, url
):
    added = cli("feeds", "add", campaign.slug, url)
    assert added.exit_code == 0, added.output
    (by_cli,) = _channels(session)
    expected = _shape(by_cli)
    session.execute(delete(Channel))
    session.commit()

    _add(client, campaign, 303, url=url)
    (by_dashboard,) = _channels(session)
    assert _shape(by_dashboard) == expected


def test_a_kickstarter_project_gives_its_live_figures(client, founder, session, campaign):
    url = "https://www.kickstarter.com/projects/maker/synth"
    _add(client, campaign, 303, url=url)
    (figures,) = _channels(session)
    assert (figures.kind, figures.feed_url, figures.job) == ("kickstarter", url, None)
    assert figures.polled and figures.next_poll_at is not None  # the worker polls it next
    # Its updates are a second channel, the project's feed, asked for with Kind: Feed.
    _add(client, campaign, 303, url=url, kind="feed")
    posts = _channels(session)[1]
    assert (posts.kind, posts.feed_url) == ("feed", f"{url}/posts.atom")
    _add(client, campaign, 422, url=url)  # the live figures once only


def test_the_kind_select_forces_a_connector(client, founder, session, campaign):
    _add(client, campaign, 303, url="https://github.com/ada/synth", kind="github")
    (repository,) = _channels(session)
    assert (repository.kind, repository.feed_url) == ("github", "https://github.com/ada/synth")
    html = _add(client, campaign, 422, url="https://blog.example/", kind="kickstarter")
    assert "Use a Kickstarter project URL" in html
    html = _add(client, campaign, 422, url="https://blog.example/", kind="myspace")
    assert "Not a valid choice" in html
    assert len(_channels(session)) == 1


def test_the_form_offers_every_kind_by_name(client, founder, campaign):
    html = client.get_text(f"/dashboard/{campaign.slug}/feeds/")
    select_html = re.search(r'<select[^>]*name="kind".*?</select>', html, re.S).group(0)
    values = re.findall(r'<option[^>]*value="([^"]*)"', select_html)
    assert values == ["", *KINDS]
    assert ">Detect automatically</option>" in select_html
    assert ">Kickstarter (live figures)</option>" in select_html
    assert ">Hacker News</option>" in select_html
    assert "add it again as Feed for its updates" in html
