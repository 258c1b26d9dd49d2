from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tracker.feeds.parsing import FeedError, parse_feed

DATA = Path(__file__).parent.parent / "data" / "feeds"
NOW = datetime(2024, 6, 5, 12, 0, tzinfo=UTC)


def parse(name_or_bytes: str | bytes, *, content_type: str | None = "application/xml", **kw):
    body = (
        name_or_bytes if isinstance(name_or_bytes, bytes) else (DATA / name_or_bytes).read_bytes()
    )
    url = kw.pop("url", "https://feeds.example/feed.xml")
    return parse_feed(body, content_type=content_type, url=url, now=kw.pop("now", NOW))


def rss(items: str, *, encoding: str = "utf-8", extra_ns: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>'
        f'<rss version="2.0"{extra_ns}><channel><title>Devlog</title>'
        f"<link>https://ada.example/</link>{items}</channel></rss>"
    )


# Platforms ----------------------------------------------------------------------------


def test_mastodon_profile_posts_get_titles_tags_and_guid_keys():
    feed = parse("mastodon_profile.rss", url="https://indie.example/@ada.rss")
    assert (feed.title, feed.link, feed.warning) == (
        "Ada Builds",
        "https://indie.example/@ada",
        None,
    )
    first, second = feed.entries
    assert first.key == "guid:https://indie.example/@ada/112555000000000001"
    assert first.title.startswith("The #beta build is out for backers!")
    assert first.tags == ("beta",)
    assert first.published_at == datetime(2024, 6, 4, 9, 30, tzinfo=UTC)
    assert not first.published_guessed
    assert 'rel="nofollow noopener noreferrer"' in first.content_html
    # The image's media:description must not replace the post text.
    assert second.summary_text == "Level editor progress: undo works now. #devlog"


def test_youtube_statistics_and_star_rating_become_engagement():
    (video,) = parse("youtube_channel.xml").entries
    assert video.engagement == {"views": 1234, "ratings": 56}
    assert video.key == "guid:yt:video:dQw4w9WgXc1"
    assert video.link == "https://www.youtube.com/watch?v=dQw4w9WgXc1"
    assert video.author == "Ada Plays Devlogs"
    # The plain-text description keeps its line breaks.
    assert video.content_html == "<p>The #beta build is out.<br>Chapters:<br>00:00 Intro</p>"
    assert "beta" in video.tags


def test_hnrss_points_and_comments_become_engagement():
    (story,) = parse("hnrss_newest.xml").entries
    assert story.engagement == {"points": 120, "comments": 45}
    assert story.author == "adab"
    assert story.tags == ()


def test_lemmy_points_and_comments_become_engagement():
    (post,) = parse("lemmy_community.xml").entries
    assert post.engagement == {"points": 87, "comments": 12}
    assert post.link == "https://ada.example/beta"


def test_github_release_resolves_relative_links_against_the_feed():
    feed = parse("github_releases.atom", url="https://github.com/ada/builds/releases.atom")
    (release,) = feed.entries
    assert release.title == "v0.9.0-beta"
    assert 'href="https://github.com/ada/builds/issues/42"' in release.content_html
    assert release.summary_text.startswith("What's new Level editor with undo")
    assert release.tags == ()  # "#42" is an issue number, not a hashtag


# Hostile documents -------------------------------------------------------------------


def test_billion_laughs_is_refused_before_parsing():
    with pytest.raises(FeedError, match="declares XML entities"):
        parse("billion_laughs.xml")


def test_quadratic_blowup_is_refused():
    big = "x" * 50_000
    doc = (
        f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "{big}">]>'
        + rss("<item><title>" + "&a;" * 5000 + "</title></item>").split("?>", 1)[1]
    )
    with pytest.raises(FeedError, match="declares XML entities"):
        parse(doc.encode())


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32"])
def test_entity_declarations_are_found_in_wide_encodings(codec):
    text = (DATA / "billion_laughs.xml").read_text()
    with pytest.raises(FeedError, match="declares XML entities"):
        parse(text.encode(codec))


def test_entity_declarations_are_found_through_a_declared_utf7_charset():
    doc = '<!DOCTYPE rss [<!ENTITY a "aaaa">]><rss version="2.0"><channel/></rss>'
    with pytest.raises(FeedError, match="declares XML entities"):
        parse(doc.encode("utf-7"), content_type="application/xml; charset=utf-7")


def test_entity_declarations_are_found_in_ebcdic():
    doc = '<?xml version="1.0" encoding="cp037"?><!DOCTYPE rss [<!ENTITY a "a">]><rss/>'
    with pytest.raises(FeedError, match="declares XML entities"):
        parse(doc.encode("cp037"))


def test_entity_text_without_a_doctype_is_not_a_declaration():
    item = "<item><title>XXE explained</title><description><![CDATA[<!ENTITY x>]]></description>"
    feed = parse(rss(item + "<guid>1</guid></item>").encode())
    assert feed.entries[0].title == "XXE explained"


def test_malformed_feed_keeps_what_parses_and_reports_the_warning():
    feed = parse("malformed.rss")
    assert [entry.title for entry in feed.entries] == [
        "First post survives",
        "Second post & an unescaped ampersand",
    ]
    assert feed.warning and "not well-formed" in feed.warning


@pytest.mark.parametrize(
    "body", [b"", b"/etc/passwd", b"https://example.com/feed.xml", b"<html><body>hi</body></html>"]
)
def test_non_feeds_are_refused_and_never_opened(body):
    # feedparser would fetch a URL or open a path given as a string; we only give it bytes.
    with pytest.raises(FeedError, match="not an RSS or Atom feed"):
        parse(body)


def test_xss_in_title_author_link_and_content_is_neutralised():
    feed = parse("xss.rss")
    assert feed.title == "Evil feed"
    assert feed.link is None
    first, second = feed.entries
    assert first.title == "Hello world"
    assert first.author == "Mallory"
    assert first.link is None
    assert second.link is None  # data: URL
    html = first.content_html.lower()
    for needle in ("<script", "javascript:", "onclick", "onerror", "data:", "<iframe", "<svg"):
        assert needle not in html
    assert 'href="https://feeds.example/rel"' in html
    assert '<img src="https://cdn.example/ok.png">' in html


def test_plain_text_content_is_escaped_into_paragraphs():
    doc = (
        '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry><id>1</id>'
        '<title type="text">a &lt; b</title><content type="text">Use &lt;script&gt; tags\n'
        "wisely\n\nSecond &amp; last</content></entry></feed>"
    )
    (entry,) = parse(doc.encode()).entries
    assert entry.title == "a < b"
    assert entry.content_html == (
        "<p>Use &lt;script&gt; tags<br>wisely</p><p>Second &amp; last</p>"
    )
    assert entry.summary_text == "Use <script> tags wisely Second & last"


def test_summary_text_is_trimmed():
    words = " ".join(["word"] * 2000)
    feed = parse(
        rss(f"<item><guid>1</guid><description>&lt;p&gt;{words}</description></item>").encode()
    )
    summary = feed.entries[0].summary_text
    assert len(summary) <= 2000
    assert summary.endswith("…")


# Encodings ---------------------------------------------------------------------------

DOC = rss("<item><title>Ünïcode café</title><guid>1</guid></item>")


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (DOC.encode("latin-1"), "application/rss+xml"),  # declared utf-8, actually latin-1
        (DOC.replace(' encoding="utf-8"', "").encode("latin-1"), None),  # nothing declared
        (DOC.encode(), "text/xml"),  # RFC 3023 would have said us-ascii
        (DOC.replace("utf-8", "windows-1252").encode("cp1252"), "application/xml"),
        (DOC.replace("utf-8", "utf-16").encode("utf-16"), "application/xml"),
        (DOC.encode(), "application/xml; charset=utf-8"),
    ],
)
def test_wrong_or_missing_encoding_is_handled(body, content_type):
    feed = parse(body, content_type=content_type)
    assert feed.title == "Devlog"
    assert feed.entries[0].title == "Ünïcode café"


# Keys and dates ----------------------------------------------------------------------


def test_feed_repeating_one_guid_falls_back_to_links_and_hashes():
    items = "".join(
        f"<item><title>Post {n}</title><guid>same</guid>{link}</item>"
        for n, link in enumerate(["<link>https://ada.example/1</link>", "", ""])
    )
    keys = [entry.key for entry in parse(rss(items).encode()).entries]
    assert keys[0] == "link:https://ada.example/1"
    assert keys[1].startswith("hash:") and keys[2].startswith("hash:")
    assert len(set(keys)) == 3


def test_one_guid_for_every_entry_falls_back_to_their_links():
    items = "".join(
        f'<item><title>Post {n}</title><guid isPermaLink="false">feed-1</guid>'
        f"<link>https://ada.example/{n}</link></item>"
        for n in range(3)
    )
    keys = [entry.key for entry in parse(rss(items).encode()).entries]
    assert keys == [f"link:https://ada.example/{n}" for n in range(3)]


def test_an_entry_listed_twice_is_returned_once():
    item = (
        '<item><title>Same</title><guid isPermaLink="false">g</guid>'
        "<link>https://ada.example/1</link></item>"
    )
    assert [entry.key for entry in parse(rss(item * 2).encode()).entries] == ["guid:g"]


def test_missing_and_future_dates_fall_back_to_now():
    future = (NOW + timedelta(days=3)).strftime("%a, %d %b %Y %H:%M:%S +0000")
    near = (NOW + timedelta(minutes=2)).strftime("%a, %d %b %Y %H:%M:%S +0000")
    items = (
        "<item><guid>a</guid><title>no date</title></item>"
        f"<item><guid>b</guid><title>future</title><pubDate>{future}</pubDate></item>"
        f"<item><guid>c</guid><title>skew</title><pubDate>{near}</pubDate></item>"
        "<item><guid>d</guid><title>past</title><pubDate>Mon, 03 Jun 2024 08:00:00 +0200"
        "</pubDate></item>"
    )
    entries = parse(rss(items).encode()).entries
    assert [(e.published_at, e.published_guessed) for e in entries] == [
        (NOW, True),
        (NOW, True),
        (NOW + timedelta(minutes=2), False),
        (datetime(2024, 6, 3, 6, 0, tzinfo=UTC), False),
    ]
