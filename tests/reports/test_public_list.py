"""The public reports list and the page's Reports section: version, period, issue date, page
count and a one-paragraph summary of each published report, in its language."""

import re

from tests.factories.reports import NOVEMBER, make_report_campaign

ARGS = {"kind": "month", "month": NOVEMBER, "confirmed": "yes", "revision": "1"}


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_a_published_report_is_listed_with_its_summary(client, session, founder):
    campaign = make_report_campaign(session, owner=founder)
    response = client.post(f"/dashboard/{campaign.slug}/reports/publish", ARGS)
    assert response.status_code == 303
    listing = _text(client.get_text(f"/c/{campaign.slug}/reports"))
    page = _text(client.get_text(f"/c/{campaign.slug}"))
    for text in (listing, page):
        period = r"Nov 1, 2026 \u2013 Nov 30, 2026"
        assert re.search(rf"Version 1 · {period} · issued on \w+ \d+, 2026", text)
        assert re.search(r"\d+ pages? \(PDF\)", text)
        # One paragraph: what came in, where the total stands, the milestones, the updates.
        summary = re.search(r"In this period (.+?)\.(?= |$)", text)
        assert summary, text
    assert re.search(
        r"In this period €[\d,.]+ came in from \d+ backers?; €[\d,.]+ pledged in all, \d+ % of "
        r"the goal\. Milestones: 1 reached, 1 started, 1 slipped; \d+ updates?",
        listing,
    ), listing
