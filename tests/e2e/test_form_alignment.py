"""Fields side by side in a form row start on one line: their labels share a top edge and so
do their inputs, whatever the neighbours' hints or the length of a German label."""

import pytest

from tests.e2e.browser import log_in, open_page
from tests.showcase import SHOWCASE_EMAIL, seed_showcase

pytestmark = [pytest.mark.e2e, pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)]

FORMS = [
    "/dashboard/new",
    "/dashboard/lumen-deck/edit",
    "/dashboard/lumen-deck/milestones/new",
    "/dashboard/lumen-deck/feeds/",
    "/dashboard/lumen-deck/funding/",
    "/dashboard/lumen-deck/reports/",
]

# For every .row, the top edges of the labels and of the controls of the fields that sit on
# one visual line (the same offsetTop), as {kind: [tops]} per line.
TOPS = """() => [...document.querySelectorAll('.row')].flatMap(row => {
  const lines = new Map();
  for (const field of row.querySelectorAll(':scope > .field')) {
    const control = field.querySelector('input:not([type=hidden]), select, textarea');
    const label = field.querySelector(':scope > label');
    if (!control || !label || control.closest('label')) continue;
    const top = Math.round(field.getBoundingClientRect().top);
    const line = lines.get(top) || {labels: [], controls: [], ids: []};
    line.labels.push(Math.round(label.getBoundingClientRect().top));
    line.controls.push(Math.round(control.getBoundingClientRect().top));
    line.ids.push(control.id);
    lines.set(top, line);
  }
  return [...lines.values()].filter(line => line.ids.length > 1);
})"""


@pytest.mark.parametrize("locale", ["en-US", "de-DE"])
def test_fields_in_a_row_share_a_baseline(browser, live_server, session, locale):
    seed_showcase(session)
    context = browser.new_context(locale=locale, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    log_in(page, live_server, SHOWCASE_EMAIL)
    crooked, rows = [], 0
    for url in FORMS:
        open_page(page, f"{live_server}{url}")
        for line in page.evaluate(TOPS):
            rows += 1
            if max(line["controls"]) - min(line["controls"]) > 1 or len(set(line["labels"])) > 1:
                crooked.append(f"{url} {line}")
    context.close()
    assert rows >= 8  # the check saw the forms' rows
    assert not crooked, "\n".join(crooked)
