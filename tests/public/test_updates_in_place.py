"""Own updates read in place on the public page: the full sanitised text with its lists, images
of other hosts as links, the source platform's icon, and a Mastodon post's title said once."""

import pytest

from tests.factories.feeds import make_channel
from tracker.feeds.content import plain_text
from tracker.feeds.parsing import FeedEntry
from tracker.feeds.store import store_entries
from tracker.models import utcnow

TOOT_HTML = (
    "<p>Beta testers: build 0.9.2 fixes the sequencer lights skipping step 13. "
    + "Thanks to everyone who sent logs and videos of the bug, it helped a lot. " * 3
    + "</p><ul><li>USB-C MIDI on Windows</li><li>save slots</li></ul>"
    '<p><img src="https://files.social.example/media/board.png" alt="The new board"></p>'
)


def _entry(key, title, content_html, link):
    return FeedEntry(
        key=key,
        title=title,
        link=link,
        author="Team",
        content_html=content_html,
        summary_text=plain_text(content_html, is_html=True),
        published_at=utcnow(),
        published_guessed=False,
        engagement={},
        tags=(),
    )


@pytest.fixture
def updates(session, campaign):
    toots = make_channel(session, campaign, origin="mastodon-profile")
    text = plain_text(TOOT_HTML, is_html=True)
    store_entries(
        session,
        toots,
        [_entry("guid:toot", text[:60] + "…", TOOT_HTML, "https://social.example/@team/1")],
        now=utcnow(),
    )
    blog = make_channel(session, campaign, origin="direct")
    store_entries(
        session,
        blog,
        [_entry("guid:post", "Why we chose USB-C", "<p>Short.</p>", "https://blog.example/usb")],
        now=utcnow(),
    )
    session.commit()


def _event(page, needle):
    events = page.split('<li class="event event-')[1:]
    return next(event for event in events if needle in event)


def test_an_update_opens_in_place_with_its_lists_and_linked_images(client, updates):
    page = client.get_text("/c/synth")
    toot = _event(page, "step 13")
    assert "<details" in toot and "<ul><li>USB-C MIDI on Windows</li>" in toot
    assert "<img" not in toot  # another host's image is a link, never loaded
    assert 'href="https://files.social.example/media/board.png"' in toot
    assert "The new board" in toot
    assert '<svg class="source-icon"' in toot and "<title>Mastodon</title>" in toot
    # The title is the start of the text: no heading repeats it.
    assert "<h3" not in toot
    blog = _event(page, "Why we chose USB-C")
    assert '<h3><a href="https://blog.example/usb"' in blog
    assert "<title>Feed</title>" in blog
    assert "<details" not in blog  # nothing more to read than what shows
