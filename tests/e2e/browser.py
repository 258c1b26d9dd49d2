"""Steps that several browser tests share."""

from pathlib import Path

from playwright.sync_api import expect

from tests.conftest import PASSWORD


def open_page(page, url: str, status: int = 200):
    """Go to url and check the status the page came with."""
    response = page.goto(url)
    assert response is not None and response.status == status, (url, response and response.status)
    return response


def log_in(page, base: str, email: str, password: str = PASSWORD) -> None:
    """Log in through the form (by field ids, so it works in any language)."""
    open_page(page, f"{base}/auth/login")
    form = page.locator("main form")
    form.locator("#email").fill(email)
    form.locator("#password").fill(password)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(f"{base}/dashboard/")


# What axe-core reports that fails a page check; "moderate" and "minor" are left to review.
BLOCKING = ("serious", "critical")

RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary),
  }));
}"""


def axe_violations(page, url: str, status: int, axe: Path, locale: str) -> list[str]:
    """Open url, check its language, run axe-core; return its serious and critical findings."""
    open_page(page, url, status)
    assert page.locator("html").get_attribute("lang") == locale[:2]
    # Through the DevTools protocol, which the page's CSP does not govern: no bypass needed.
    page.evaluate(axe.read_text() + "\n;true")
    return [
        f"{url} [{locale}] {v['impact']} {v['id']}: {v['help']}\n    " + "\n    ".join(v["nodes"])
        for v in page.evaluate(RUN_AXE)
        if v["impact"] in BLOCKING
    ]
