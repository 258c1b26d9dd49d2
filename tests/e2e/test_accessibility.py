"""axe-core finds no serious or critical violation on the pages backers and founders use,
in English and in German."""

import pytest

from tests.e2e.browser import log_in, open_page
from tests.node_tools import node_tool
from tests.pages import PUBLIC_PAGES, seed_pages
from tests.showcase import SHOWCASE_EMAIL

pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]

BLOCKING = ("serious", "critical")

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary),
  }));
}"""


@pytest.mark.parametrize("locale", ["en-US", "de-DE"])
def test_no_serious_or_critical_violations(browser, live_server, session, locale):
    axe = node_tool("axe-core/axe.min.js")
    founder_pages = seed_pages(session)
    # The CSP (script-src 'self') would block the injected axe script; bypass it here only.
    context = browser.new_context(bypass_csp=True, locale=locale)
    page = context.new_page()
    found = []
    for url, status in PUBLIC_PAGES:
        found += _violations(page, f"{live_server}{url}", status, axe, locale)
    log_in(page, live_server, SHOWCASE_EMAIL)
    for url in founder_pages:
        found += _violations(page, f"{live_server}{url}", 200, axe, locale)
    context.close()
    assert not found, "\n".join(found)


def _violations(page, url, status, axe, locale):
    open_page(page, url, status)
    assert page.locator("html").get_attribute("lang") == locale[:2]
    page.add_script_tag(path=str(axe))
    return [
        f"{url} [{locale}] {v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in page.evaluate(RUN_AXE)
        if v["impact"] in BLOCKING
    ]
