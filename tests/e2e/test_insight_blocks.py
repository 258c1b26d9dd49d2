"""The blocks of issue 14 that founders and backers read (what moves pledges, followers
across channels, where the funding figures come from) are on their pages and pass axe-core
in English and in German."""

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import BLOCKING, log_in, open_page
from tests.node_tools import node_tool
from tests.pages import seed_pages
from tests.showcase import SHOWCASE_EMAIL

pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]

# (page, block) for backers, then for the signed-in founder.
PUBLIC_BLOCKS = [("/c/lumen-deck", "#community"), ("/c/lumen-deck", ".figures-source")]
FOUNDER_BLOCKS = [
    ("/dashboard/lumen-deck/", "#followers"),
    ("/dashboard/lumen-deck/insights/impact", "#what-moves-pledges"),
]
RUN_AXE_ON = """async (selector) => {
  const result = await axe.run(document.querySelector(selector), {resultTypes: ["violations"]});
  return result.violations.map(v => v.impact + " " + v.id + ": " + v.help);
}"""


@pytest.mark.parametrize("locale", ["en-US", "de-DE"])
def test_blocks_are_shown_and_pass_axe(browser, live_server, session, locale):
    axe = node_tool("axe-core/axe.min.js")
    seed_pages(session)
    context = browser.new_context(bypass_csp=True, locale=locale)  # to inject axe
    page = context.new_page()
    found = [_violations(page, live_server, url, block, axe) for url, block in PUBLIC_BLOCKS]
    log_in(page, live_server, SHOWCASE_EMAIL)
    found += [_violations(page, live_server, url, block, axe) for url, block in FOUNDER_BLOCKS]
    context.close()
    found = [f"[{locale}] {line}" for lines in found for line in lines]
    assert not found, "\n".join(found)


def _violations(page, base, url, selector, axe):
    open_page(page, f"{base}{url}")
    expect(page.locator(selector)).to_be_visible()
    page.add_script_tag(path=str(axe))
    return [
        f"{url} {selector} {v}"
        for v in page.evaluate(RUN_AXE_ON, selector)
        if v.split()[0] in BLOCKING
    ]
