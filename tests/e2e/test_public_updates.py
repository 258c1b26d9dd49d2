"""A backer reads a Mastodon update in place on a desktop and a phone, with and without
JavaScript: the teaser gives way to the full text, its list and its image link; the
post's start is never shown twice."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import open_page
from tests.public.test_updates_in_place import updates  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.mark.parametrize("script", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_an_update_opens_in_place(browser, live_server, updates, viewport, script):  # noqa: F811
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(
        viewport={"width": width, "height": height}, java_script_enabled=script
    )
    page = context.new_page()
    open_page(page, f"{live_server}/c/synth#updates")
    toot = page.locator("#updates li.event", has_text="step 13")
    expect(toot.get_by_role("img", name="Mastodon")).to_be_visible()
    expect(toot.get_by_text("USB-C MIDI on Windows")).to_be_hidden()
    toot.get_by_text("Read the update").click()
    expect(toot.get_by_text("USB-C MIDI on Windows")).to_be_visible()
    expect(toot.get_by_role("listitem")).to_have_count(2)  # the list kept its structure
    expect(toot.get_by_role("link", name="The new board")).to_be_visible()
    assert toot.inner_text().count("Beta testers: build 0.9.2") == 1
    box = toot.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width  # no sideways scrolling
    blog = page.locator("#updates li.event", has_text="Why we chose USB-C")
    expect(blog.get_by_role("heading", name="Why we chose USB-C")).to_be_visible()
    context.close()
