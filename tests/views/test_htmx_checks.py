"""What htmx asked for is read through flask-htmx, never from the headers by hand (#11)."""

import re
from pathlib import Path

import tracker
from tests.factories import make_campaign

ROOT = Path(tracker.__file__).parent
# headers.get("HX-Boosted"), headers["HX-Request"]: reading a request header by hand
READ_BY_HAND = re.compile(
    r"""headers(?:\.get\(|\[)["']HX-(?:Request|Boosted|History-Restore-Request)"""
)


def test_no_module_reads_the_htmx_request_headers_itself():
    readers = {
        path.relative_to(ROOT).as_posix()
        for path in ROOT.rglob("*.py")
        if READ_BY_HAND.search(path.read_text(encoding="utf-8"))
    }
    assert readers == set()


def _timeline(client, url, headers) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_htmx_gets_a_fragment_and_boosts_and_history_restores_the_page(client, session):
    campaign = make_campaign(session)
    url = f"/c/{campaign.slug}/timeline"
    asked = {"HX-Request": "true"}
    assert "<html" not in _timeline(client, url, asked)
    for headers in (
        {**asked, "HX-Boosted": "true"},
        {**asked, "HX-History-Restore-Request": "true"},
        {"HX-Request": "false"},
        {},
    ):
        assert "<html" in _timeline(client, url, headers)
