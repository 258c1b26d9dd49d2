"""Which kind a URL is, and which kinds may be forced."""

import pytest

from tracker.connectors.kinds import CONNECTORS, KINDS, choose_kind, detect_kind, shape_kind
from tracker.errors import InvalidInput


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://www.kickstarter.com/projects/someone/a-synth", "kickstarter"),
        ("kickstarter.com/projects/someone/a-synth/description", "kickstarter"),
        ("https://opencollective.com/synth-collective", "opencollective"),
        ("https://mastodon.social/@founder", "mastodon"),
        ("@founder@mastodon.social", "mastodon"),
        ("founder@mastodon.social", "mastodon"),
        ("https://bsky.app/profile/founder.bsky.social", "bluesky"),
        ("https://www.youtube.com/@founder", "youtube"),
        ("https://news.ycombinator.com/item?id=123", "hackernews"),
        ("https://www.reddit.com/r/synth/comments/abc/show_reddit/", "reddit"),
        ("https://github.com/founder/synth", "github"),
        ("https://blog.example/feed.xml", None),
        ("https://www.kickstarter.com/projects/someone/a-synth/posts.atom", None),
        ("https://github.com/founder/synth/releases.atom", None),
        ("http://[::1", None),
    ],
)
def test_the_shape_of_a_url_names_its_platform(url, kind):
    assert shape_kind(url) == kind


def test_detection_names_only_kinds_with_a_connector():
    assert detect_kind("https://www.kickstarter.com/projects/someone/a-synth") == "kickstarter"
    assert detect_kind("https://opencollective.com/synth") == "opencollective"
    # Until its connector exists a profile stays a feed: discovery finds its RSS.
    for url in ("https://blog.example/", "https://example.social/@founder"):
        assert detect_kind(url) == (
            "mastodon" if "mastodon" in CONNECTORS and "@" in url else "feed"
        )


def test_a_forced_kind_wins_over_detection():
    assert choose_kind("http://127.0.0.1:9/projects/a/b", "kickstarter") == "kickstarter"
    assert choose_kind("https://www.kickstarter.com/projects/a/b", "feed") == "feed"


def test_an_unknown_kind_is_refused():
    with pytest.raises(InvalidInput) as raised:
        choose_kind("https://blog.example/", "myspace")
    assert "Unknown kind 'myspace'" in raised.value.errors["kind"]


def test_every_kind_of_the_contract_has_a_connector():
    # Issue 14's contract names these kinds; a kind without its connector would be refused
    # as "not supported yet".
    contract = {"kickstarter", "opencollective", "mastodon", "bluesky", "youtube"}
    contract |= {"hackernews", "reddit", "github"}
    assert set(KINDS) == contract | {"feed"}
    assert contract <= set(CONNECTORS)
