"""The hero and "Back this project" at 1280 and 390 px, the image upload in the browser, axe."""

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import axe_violations as _violations
from tests.e2e.browser import log_in, open_page
from tests.factories import make_campaign
from tests.factories.images import SVG_WITH_SCRIPT, bomb_png, image_bytes
from tests.node_tools import node_tool
from tracker.campaigns.hero import check_hero_image, set_hero_image
from tracker.models import utcnow

pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]
VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}
PLEDGE = "https://www.kickstarter.com/projects/someone/lumen-deck"
VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
TODAY = utcnow().date()


@pytest.fixture(scope="module")
def hero_image():
    """Return the hero picture resized once for the module (no test changes it)."""
    return check_hero_image(image_bytes("JPEG", (2400, 1350), "#7a3cc0"))


@pytest.fixture
def hero_campaign(app, session, owner, hero_image):
    campaign = make_campaign(
        session,
        owner=owner,
        slug="lumen-deck",
        title="Lumen Deck",
        tagline="A synth that fits in a jacket pocket",
        platform_url=PLEDGE,
        video_url=VIDEO,
        starts_on=TODAY - timedelta(days=10),
        ends_on=TODAY + timedelta(days=20),
    )
    set_hero_image(session, campaign, hero_image, media_dir=Path(app.config["MEDIA_DIR"]))
    session.commit()
    return campaign


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_hero_and_call_to_action_fit_the_screen(browser, live_server, hero_campaign, viewport):
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    problems = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    outside = []
    page.on("request", lambda r: r.url.startswith(live_server) or outside.append(r.url))
    open_page(page, f"{live_server}/c/lumen-deck")
    image = page.locator(".hero-image")
    expect(image).to_be_visible()
    page.wait_for_function("document.querySelector('.hero-image').complete")
    loaded = image.evaluate("i => [i.naturalWidth, i.currentSrc]")
    assert loaded[0] > 0
    # The browser takes the narrowest file that covers the image's width on this screen.
    shown = image.bounding_box()
    assert loaded[1].endswith("-480.webp" if viewport == "phone" else "-960.webp"), loaded
    assert shown["width"] <= loaded[0] * 1.01
    main = page.locator("main").bounding_box()
    assert shown["width"] >= main["width"] - 2 * 24  # as wide as the text column
    cta = page.get_by_role("link", name="Back this project")
    expect(cta).to_be_visible()
    assert cta.get_attribute("href") == PLEDGE
    box = cta.bounding_box()
    assert box["height"] >= 44  # a thumb's target
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    if viewport == "phone":
        assert box["width"] >= width - 2 * 24  # the whole width on a phone
    video = page.get_by_role("link", name="Watch the video on YouTube")
    expect(video).to_be_visible()
    assert video.get_attribute("href") == VIDEO
    assert page.locator("iframe").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert outside == [] and problems == []
    context.close()


def test_an_embedded_player_is_allowed_by_the_pages_policy(browser, live_server, session, owner):
    make_campaign(
        session,
        owner=owner,
        slug="embedded",
        video_url=VIDEO,
        video_embed=True,
        starts_on=TODAY - timedelta(days=10),
        ends_on=TODAY + timedelta(days=20),
    )
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    violations = []
    page.on("console", lambda m: "Content Security Policy" in m.text and violations.append(m.text))
    # No request leaves the machine: the player's address answers here with an empty page.
    context.route("https://www.youtube-nocookie.com/**", lambda r: r.fulfill(body="<p>player"))
    response = open_page(page, f"{live_server}/c/embedded")
    frame = page.locator(".video-frame iframe")
    frame.scroll_into_view_if_needed()
    expect(page.frame_locator(".video-frame iframe").locator("p")).to_have_text("player")
    box = frame.bounding_box()
    assert abs(box["width"] / box["height"] - 16 / 9) < 0.02
    assert (
        "frame-src https://www.youtube-nocookie.com" in response.headers["content-security-policy"]
    )
    assert violations == []
    context.close()


# The refusals come from the server and read the same at any width: they are shown on the
# desktop, then the same page at a phone's width takes the photo and removes it.
def test_upload_in_the_browser_refuses_bad_files_and_takes_a_photo(
    browser, live_server, hero_campaign, owner, tmp_path
):
    width, height = VIEWPORTS["desktop"]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    log_in(page, live_server, owner.email)
    files = {
        "script.svg": SVG_WITH_SCRIPT,
        "huge.jpg": b"\xff\xd8\xff" + b"\0" * (11 * 2**20),
        "bomb.png": bomb_png(),
    }
    reasons = {
        "script.svg": "SVG images are not accepted",
        "huge.jpg": "larger than 10 MB",
        "bomb.png": "at most 40 megapixels",
    }
    for name, data in files.items():
        path = tmp_path / name
        path.write_bytes(data)
        open_page(page, f"{live_server}/dashboard/lumen-deck/edit")
        page.locator("#image").set_input_files(path)
        page.get_by_role("button", name="Upload").click()
        expect(page.locator("#image-error")).to_contain_text(reasons[name])
        expect(page.locator("#image")).to_have_attribute("aria-invalid", "true")
    width, height = VIEWPORTS["phone"]
    page.set_viewport_size({"width": width, "height": height})
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(image_bytes("JPEG", (1600, 1200), "#208040", exif_place=True))
    old = page.locator(".hero-preview").get_attribute("src")
    page.locator("#image").set_input_files(photo)
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#flash")).to_contain_text("The hero image is saved.")
    expect(page.locator(".hero-preview")).not_to_have_attribute("src", old)
    page.get_by_role("button", name="Remove the image").click()
    expect(page.locator("#flash")).to_contain_text("The hero image is removed.")
    expect(page.locator(".hero-preview")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    context.close()


# One context per language sees both states of the video: its placeholder, then its thumbnail.
@pytest.mark.parametrize("locale", ["en-US", "de-DE"])
def test_hero_pages_have_no_serious_accessibility_violations(
    request, browser, live_server, hero_campaign, owner, locale
):
    axe = node_tool("axe-core/axe.min.js")
    context = browser.new_context(bypass_csp=True, locale=locale)
    page = context.new_page()
    log_in(page, live_server, owner.email)
    found = []
    for thumbnails in (0, 1):
        if thumbnails:
            request.getfixturevalue("fetched_thumbnail")
        found += _violations(page, f"{live_server}/c/lumen-deck", 200, axe, locale)
        found += _violations(page, f"{live_server}/dashboard/lumen-deck/edit", 200, axe, locale)
        expect(page.locator(".video-thumbnail-preview")).to_have_count(thumbnails)
    context.close()
    assert not found, "\n".join(found)


@pytest.fixture
def fetched_thumbnail(app, hero_campaign):
    """Let the worker fetch the video's thumbnail from a YouTube stand-in on 127.0.0.1."""
    from tests.feed_server import FeedServer
    from tests.worker import run_jobs
    from tracker.campaigns.video_thumbnails import request_thumbnail
    from tracker.db import get_session
    from tracker.views.video_thumbnails import follow_video_change

    app.config["ALLOW_PRIVATE_FEEDS"] = True
    with FeedServer() as youtube:
        youtube.route(
            "/vi/dQw4w9WgXcQ/hqdefault.jpg",
            body=image_bytes("JPEG", (480, 360), "#d08020"),
            headers={"Content-Type": "image/jpeg"},
        )
        app.config["YOUTUBE_THUMBNAIL_URL"] = youtube.url("/vi")
        with app.test_request_context():
            session = get_session()
            campaign = session.merge(hero_campaign)
            change = request_thumbnail(session, campaign, now=utcnow())
            session.commit()
            follow_video_change(session, campaign, change)
        run_jobs(app)
    return hero_campaign


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_the_hero_shows_the_videos_thumbnail_from_this_site(
    browser, live_server, fetched_thumbnail, viewport
):
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    problems, outside = [], []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("requestfailed", lambda r: problems.append(f"failed: {r.url}"))
    page.on("request", lambda r: r.url.startswith(live_server) or outside.append(r.url))
    open_page(page, f"{live_server}/c/lumen-deck")
    video = page.get_by_role("link", name="Watch the video on YouTube")
    thumbnail = video.get_by_role("img", name="Still from the video: Lumen Deck")
    thumbnail.scroll_into_view_if_needed()
    expect(thumbnail).to_be_visible()
    page.wait_for_function("document.querySelector('.video-poster img').complete")
    natural, source = thumbnail.evaluate("i => [i.naturalWidth, i.currentSrc]")
    assert natural > 0 and source.startswith(f"{live_server}/media/"), source
    box = thumbnail.bounding_box()
    assert abs(box["width"] / box["height"] - 16 / 9) < 0.02  # YouTube's bars cropped
    assert box["x"] >= 0 and box["x"] + box["width"] <= width
    if viewport == "phone":
        assert box["width"] >= width - 2 * 24  # the column's width, like the call to action
    else:
        assert box["width"] <= 20 * 16 + 1  # a card beside the call to action, not a second hero
    expect(video.locator(".video-play")).to_be_visible()
    assert video.get_attribute("href") == VIDEO
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert outside == [] and problems == []
    context.close()
