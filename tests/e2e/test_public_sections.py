"""A backer jumps between the public page's sections on a desktop and a phone, with and without
JavaScript: the navigation stays at the top, every anchor lands below it, long lists wait
behind "show all"."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import open_page
from tests.showcase import seed_showcase

pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]
VIEWPORTS = {"desktop": (1280, 900), "phone": (390, 844)}
SECTIONS = [
    ("Funding", "funding"),
    ("Roadmap", "roadmap"),
    ("Updates", "updates"),
    ("Feedback", "feedback"),
    ("Reports", "reports"),
]


@pytest.fixture
def showcase(session):
    return seed_showcase(session)


@pytest.mark.parametrize("script", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("viewport", VIEWPORTS, ids=list(VIEWPORTS))
def test_section_navigation(browser, live_server, showcase, viewport, script):
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(
        viewport={"width": width, "height": height}, java_script_enabled=script
    )
    page = context.new_page()
    open_page(page, f"{live_server}/c/lumen-deck")
    nav = page.get_by_role("navigation", name="Sections")
    expect(nav.get_by_role("link")).to_have_text([name for name, _ in SECTIONS])
    for name, anchor in reversed(SECTIONS):
        nav.get_by_role("link", name=name).click()
        expect(page).to_have_url(f"{live_server}/c/lumen-deck#{anchor}")
        heading = page.locator(f"#{anchor} h2").first
        expect(heading).to_be_in_viewport()
        nav_box, heading_box = nav.bounding_box(), heading.bounding_box()
        # Sticky: still at the top of the window, and the heading is not beneath it.
        assert nav_box["y"] == pytest.approx(0, abs=1), (name, nav_box)
        assert heading_box["y"] >= nav_box["y"] + nav_box["height"] - 1, (name, heading_box)
    # The roadmap's linked updates and the older updates wait behind "show all".
    linked = page.locator("#roadmap details.linked").first
    expect(linked.locator("ul")).to_be_hidden()
    linked.locator("summary").click()
    expect(linked.locator("ul")).to_be_visible()
    expect(page.locator("#updates li.event")).to_have_count(5)
    page.locator("#updates").get_by_role("link", name="Load more").click()
    if script:  # in place
        expect(page.locator("#updates li.event")).to_have_count(25)
    else:  # the timeline's next page
        expect(page).to_have_url(re.compile(r"/c/lumen-deck/timeline\?before="))
        expect(page.locator("#updates li.event")).to_have_count(20)
    context.close()
