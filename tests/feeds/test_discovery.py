from pathlib import Path

import pytest

from tracker.feeds.discovery import DiscoveryError, resolve_feed
from tracker.feeds.page_links import looks_like_feed

DATA = Path(__file__).parent.parent / "data" / "feeds"
HTML = "text/html; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
CHANNEL = "UCabcdefghijklmnopqrstuv"


def saved_pages(pages: dict[str, tuple[str, str | None]]):
    """Return a fetch_page serving saved files by URL, and the list of URLs it was asked."""
    asked: list[str] = []

    def fetch_page(url: str) -> tuple[str, bytes, str | None]:
        asked.append(url)
        if url not in pages:
            raise LookupError("HTTP 404")
        name, content_type = pages[url]
        return url, (DATA / name).read_bytes(), content_type

    return fetch_page, asked


def no_fetching(url: str):
    raise AssertionError(f"fetched {url}")


@pytest.mark.parametrize(
    ("text", "feed_url", "kind"),
    [
        ("@ada@indie.example", "https://indie.example/@ada.rss", "mastodon-profile"),
        ("ada@Indie.Example", "https://indie.example/@ada.rss", "mastodon-profile"),
        (
            "https://bsky.app/profile/ada.bsky.social",
            "https://bsky.app/profile/ada.bsky.social/rss",
            "bluesky",
        ),
        ("@ada.bsky.social", "https://bsky.app/profile/ada.bsky.social/rss", "bluesky"),
        (
            f"https://www.youtube.com/channel/{CHANNEL}/videos",
            f"https://www.youtube.com/feeds/videos.xml?channel_id={CHANNEL}",
            "youtube",
        ),
        (
            "https://github.com/ada/builds",
            "https://github.com/ada/builds/releases.atom",
            "github-releases",
        ),
        (
            "github.com/ada/builds.git",
            "https://github.com/ada/builds/releases.atom",
            "github-releases",
        ),
        (
            "https://www.reddit.com/r/indiegames/",
            "https://www.reddit.com/r/indiegames/.rss",
            "reddit",
        ),
        (
            "https://old.reddit.com/r/indiegames",
            "https://www.reddit.com/r/indiegames/.rss",
            "reddit",
        ),
        ("r/indiegames", "https://www.reddit.com/r/indiegames/.rss", "reddit"),
        ("/r/indiegames", "https://www.reddit.com/r/indiegames/.rss", "reddit"),
        (
            "https://www.kickstarter.com/projects/ada/ada-builds/description?ref=x",
            "https://www.kickstarter.com/projects/ada/ada-builds/posts.atom",
            "kickstarter",
        ),
        (
            "https://hnrss.org/newest?q=ada+builds&points=10",
            "https://hnrss.org/newest?q=ada+builds&points=10",
            "hnrss",
        ),
        ("https://medium.com/@ada", "https://medium.com/feed/@ada", "medium"),
    ],
)
def test_platform_urls_resolve_without_fetching(text, feed_url, kind):
    resolution = resolve_feed(text, fetch_page=no_fetching)
    assert (resolution.feed_url, resolution.kind) == (feed_url, kind)
    assert resolution.tried


def test_github_commits_on_request():
    resolution = resolve_feed("https://github.com/ada/builds/tree/main", github_commits=True)
    assert resolution.feed_url == "https://github.com/ada/builds/commits.atom"
    assert resolution.kind == "github-commits"


@pytest.mark.parametrize(
    ("text", "feed_url", "kind"),
    [
        ("https://indie.example/@ada", "https://indie.example/@ada.rss", "mastodon-profile"),
        (
            "https://other.example/@ada@indie.example",
            "https://indie.example/@ada.rss",
            "mastodon-profile",
        ),
        ("https://indie.example/tags/beta", "https://indie.example/tags/beta.rss", "mastodon-tag"),
        (
            "https://lemmy.example/c/indiegames",
            "https://lemmy.example/feeds/c/indiegames.xml",
            "lemmy",
        ),
    ],
)
def test_fediverse_paths_are_confirmed_by_fetching_the_feed(text, feed_url, kind):
    fetch_page, asked = saved_pages({feed_url: ("mastodon_profile.rss", RSS)})
    resolution = resolve_feed(text, fetch_page=fetch_page)
    assert (resolution.feed_url, resolution.kind) == (feed_url, kind)
    assert asked == [feed_url]


def test_fediverse_paths_resolve_by_pattern_when_nothing_can_be_fetched():
    resolution = resolve_feed("https://lemmy.example/c/indiegames")
    assert resolution.feed_url == "https://lemmy.example/feeds/c/indiegames.xml"


def test_blog_tag_page_that_is_not_mastodon_falls_back_to_autodiscovery():
    fetch_page, asked = saved_pages(
        {
            "https://blog.example/tags/beta.rss": ("page_without_feed.html", HTML),
            "https://blog.example/tags/beta": ("page_with_alternate.html", HTML),
        }
    )
    resolution = resolve_feed("https://blog.example/tags/beta", fetch_page=fetch_page)
    assert resolution.feed_url == "https://blog.example/devlog/feed.xml"
    assert resolution.kind == "discovered"
    assert asked == ["https://blog.example/tags/beta.rss", "https://blog.example/tags/beta"]


@pytest.mark.parametrize("page", ["youtube_handle.html", "youtube_handle_script_only.html"])
def test_youtube_handle_page_yields_the_channel_feed(page):
    fetch_page, _asked = saved_pages({"https://www.youtube.com/@adaplays": (page, HTML)})
    resolution = resolve_feed("https://www.youtube.com/@adaplays", fetch_page=fetch_page)
    assert resolution.feed_url == f"https://www.youtube.com/feeds/videos.xml?channel_id={CHANNEL}"
    assert resolution.kind == "youtube"


def test_url_that_already_is_a_feed_is_used_directly():
    # Served as text/xml, so only sniffing the body can tell it is a feed.
    fetch_page, _asked = saved_pages(
        {"https://ada.example/releases": ("github_releases.atom", "text/xml")}
    )
    resolution = resolve_feed("https://ada.example/releases", fetch_page=fetch_page)
    assert (resolution.feed_url, resolution.kind) == ("https://ada.example/releases", "direct")


def test_page_autodiscovery_resolves_the_first_relative_alternate():
    fetch_page, _asked = saved_pages({"https://ada.example/": ("page_with_alternate.html", HTML)})
    resolution = resolve_feed("ada.example", fetch_page=fetch_page)
    assert resolution.feed_url == "https://ada.example/devlog/feed.xml"
    assert resolution.kind == "discovered"


def test_nothing_found_says_what_was_tried():
    fetch_page, _asked = saved_pages(
        {"https://ada.example/about": ("page_without_feed.html", HTML)}
    )
    with pytest.raises(DiscoveryError) as caught:
        resolve_feed("https://ada.example/about", fetch_page=fetch_page)
    message = str(caught.value)
    assert "https://ada.example/about" in message
    assert "without <link rel=alternate>" in message


def test_unfetchable_candidates_are_listed_in_the_error():
    fetch_page, _asked = saved_pages({})
    with pytest.raises(DiscoveryError, match=r"tags/beta\.rss \(could not fetch: HTTP 404\)"):
        resolve_feed("https://blog.example/tags/beta", fetch_page=fetch_page)


@pytest.mark.parametrize("text", ["https://x.com/ada", "https://www.instagram.com/ada/"])
def test_platforms_without_feeds_get_a_hint(text):
    with pytest.raises(DiscoveryError, match=r"publishes no feeds.*RSS-bridge"):
        resolve_feed(text, fetch_page=no_fetching)


@pytest.mark.parametrize(
    "text", ["", "   ", "javascript:alert(1)", "mailto:ada@example.com", "file:///etc/passwd"]
)
def test_nonsense_is_refused_without_fetching(text):
    fetch_page, asked = saved_pages({})
    with pytest.raises(DiscoveryError):
        resolve_feed(text, fetch_page=fetch_page)
    assert asked == []


@pytest.mark.parametrize(
    ("name", "content_type", "expected"),
    [
        ("mastodon_profile.rss", None, True),
        ("youtube_channel.xml", "text/html", True),
        ("page_with_alternate.html", "text/html", False),
        ("page_without_feed.html", RSS, True),  # the declared type is believed
    ],
)
def test_looks_like_feed(name, content_type, expected):
    assert looks_like_feed((DATA / name).read_bytes(), content_type) is expected


def test_looks_like_feed_reads_utf16():
    body = (DATA / "mastodon_profile.rss").read_text().encode("utf-16")
    assert looks_like_feed(body, None)
