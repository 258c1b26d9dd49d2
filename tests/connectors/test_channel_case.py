"""A host is the same in any case, for every kind of channel; a path keeps its case where
the platform tells names apart by case."""

import pytest
from sqlalchemy import select

from tracker.errors import InvalidInput
from tracker.feeds.channels import create_channel
from tracker.models import Channel

UC = "UCabcdefghijklmnopqrstuv"


def _add(client, campaign, url, status, kind=""):
    response = client.post(
        f"/dashboard/{campaign.slug}/feeds/channels", {"url": url, "role": "updates", "kind": kind}
    )
    assert response.status_code == status, response.get_data(as_text=True)[:2000]
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("first", "again", "kind"),
    [
        ("https://mastodon.social/@x", "https://MASTODON.social/@x", ""),
        ("https://mastodon.social/@Ada", "https://mastodon.social/@ada", ""),
        ("@ada@mastodon.social", "https://Mastodon.Social/@ADA/", ""),
        (
            "https://www.kickstarter.com/projects/maker/synth",
            "https://WWW.Kickstarter.com/projects/maker/synth",
            "",
        ),
        ("https://opencollective.com/synth", "https://OpenCollective.com/synth", ""),
        ("https://bsky.app/profile/ada.example", "https://BSKY.app/profile/Ada.Example", ""),
        (
            "https://news.ycombinator.com/item?id=123",
            "https://News.YCombinator.com/item?id=123",
            "",
        ),
        (
            "https://www.reddit.com/r/synth/comments/abc1/x/",
            "https://WWW.REDDIT.COM/r/Synth/comments/abc1/",
            "",
        ),
        ("https://github.com/ada/synth", "https://GitHub.com/Ada/Synth", "github"),
        (
            f"https://www.youtube.com/channel/{UC}",
            f"https://WWW.YouTube.com/channel/{UC}",
            "youtube",
        ),
    ],
)
def test_the_same_channel_in_another_case_is_refused(
    client, founder, session, campaign, first, again, kind
):
    _add(client, campaign, first, 303, kind)
    html = _add(client, campaign, again, 422, kind)
    assert "already follows" in html
    assert len(session.scalars(select(Channel)).all()) == 1


def test_the_cli_refuses_a_profile_with_an_upper_case_host(cli, session, campaign):
    assert cli("feeds", "add", "synth", "https://MASTODON.social/@x").exit_code == 0
    assert session.scalars(select(Channel.feed_url)).one() == "https://mastodon.social/@x"
    again = cli("feeds", "add", "synth", "https://mastodon.social/@x", "--role", "feedback")
    assert again.exit_code != 0 and "already follows" in again.output


@pytest.mark.parametrize(
    ("first", "again", "kind"),
    [
        # A YouTube channel id and a Kickstarter project's path are told apart by case.
        (
            f"https://www.youtube.com/channel/{UC}",
            f"https://www.youtube.com/channel/{UC.upper()}",
            "youtube",
        ),
        (
            "https://www.kickstarter.com/projects/maker/synth",
            "https://www.kickstarter.com/projects/maker/Synth",
            "kickstarter",
        ),
    ],
)
def test_a_path_keeps_its_case_where_the_platform_does(
    client, founder, session, campaign, first, again, kind
):
    _add(client, campaign, first, 303, kind)
    _add(client, campaign, again, 303, kind)
    assert len(session.scalars(select(Channel)).all()) == 2


def test_a_feed_on_an_upper_case_host_is_the_same_feed(session, campaign):
    create_channel(
        session, campaign, role="updates", origin="direct", feed_url="https://blog.example/feed.xml"
    )
    with pytest.raises(InvalidInput) as refused:
        create_channel(
            session,
            campaign,
            role="feedback",
            origin="direct",
            feed_url="https://BLOG.Example/feed.xml",
        )
    assert "already follows" in refused.value.errors["url"]
    # A feed's path is the server's: another case may be another feed.
    create_channel(
        session, campaign, role="updates", origin="direct", feed_url="https://blog.example/Feed.xml"
    )
