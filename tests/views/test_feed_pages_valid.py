"""The feeds dashboard pages, full of the demo's entries, are valid HTML in English and German."""

import json
import re
import subprocess

import pytest
from sqlalchemy import select

from tests.node_tools import java, node_tool
from tracker.campaigns.campaigns import find_campaign
from tracker.demo.loader import load_demo
from tracker.models import Channel, utcnow

CANARY = '<!doctype html><html lang="en"><title>c</title><p id="a"></p><p id="a"></p></html>'


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_feeds_pages_have_no_html_errors(client, session, tmp_path):
    vnu, java_bin = node_tool("vnu-jar/build/dist/vnu.jar"), java()
    result = load_demo(session, today=utcnow().date())
    session.commit()
    campaign = find_campaign(session, result.slug)
    polled = session.scalars(select(Channel).where(Channel.campaign_id == campaign.id)).first()
    polled.last_polled_at = utcnow()  # microseconds, as a real poll leaves them
    session.add(polled)
    session.commit()
    client.post("/auth/login", {"email": result.owner_email, "password": result.owner_password})
    channel_ids = session.scalars(select(Channel.id).where(Channel.campaign_id == campaign.id))
    urls = [f"/dashboard/{campaign.slug}/feeds/"] + [
        f"/dashboard/{campaign.slug}/feeds/channels/{channel_id}" for channel_id in channel_ids
    ]
    files = {}
    for language in ("en", "de"):
        for url in urls:
            response = client.get(url, headers={"Accept-Language": language})
            assert response.status_code == 200, url
            name = f"{language}{re.sub(r'[^a-z0-9]+', '-', url)}.html"
            (tmp_path / name).write_bytes(response.get_data())
            files[name] = f"{url} ({language})"
    (tmp_path / "canary.html").write_text(CANARY)
    checked = subprocess.run(
        [
            *(java_bin, "-jar", str(vnu), "--format", "json", "--errors-only"),
            *(str(tmp_path / name) for name in ["canary.html", *sorted(files)]),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    errors = [
        f"{files.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))}: {m['message']}"
        for m in json.loads(checked.stderr or checked.stdout)["messages"]
        if m["type"] in ("error", "non-document-error")
    ]
    canary = [e for e in errors if "canary.html" in e]
    assert len(canary) == 1 and "Duplicate ID" in canary[0], canary
    assert not [e for e in errors if "canary.html" not in e], "\n".join(errors)
