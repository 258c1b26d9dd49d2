"""The feedback pages are valid HTML in English and German (Nu HTML Checker)."""

import json
import re
import subprocess
from datetime import timedelta

import pytest

from tests.factories import make_campaign, make_milestone, make_user
from tests.factories.feedback import comment, make_feedback_channel, post_comments
from tests.node_tools import java, node_tool
from tracker.models import utcnow

ANGRY = "This is a scam, I want my money back. Terrible, dishonest team."


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_feedback_pages_have_no_html_errors(client, session, tmp_path):
    vnu, java_bin = node_tool("vnu-jar/build/dist/vnu.jar"), java()
    owner = make_user(session)
    campaign = make_campaign(session, owner=owner)
    make_milestone(session, campaign, title="Firmware beta", tag="beta")
    channel = make_feedback_channel(session, campaign, title="Mastodon")
    now = utcnow()
    post_comments(
        session,
        channel,
        [comment(ANGRY, at=now - timedelta(minutes=i), author=f"@a{i}") for i in range(6)]
        + [comment("When does the #beta ship?", at=now - timedelta(days=2), author="@q")],
        now=now,
    )
    client.login(owner.email)
    client.post(f"/dashboard/{campaign.slug}/feedback/alerts/token")
    base = f"/dashboard/{campaign.slug}/feedback"
    urls = [f"{base}/", f"{base}/?label=negative&page=1", f"{base}/insights", f"{base}/alerts"]
    urls.append(f"/dashboard/{campaign.slug}/")
    files = {}
    for language in ("en", "de"):
        for url in urls:
            response = client.get(url, headers={"Accept-Language": language})
            assert response.status_code == 200, url
            name = f"{language}{re.sub(r'[^a-z0-9]+', '-', url)}.html"
            (tmp_path / name).write_bytes(response.get_data())
            files[name] = f"{url} ({language})"
    result = subprocess.run(
        [java_bin, "-jar", str(vnu), "--format", "json", "--errors-only"]
        + [str(tmp_path / name) for name in sorted(files)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{files.get(m.get('url', '').rsplit('/', 1)[-1])}: {m['message']} {m.get('extract', '')}"
        for m in messages
        if m["type"] in ("error", "non-document-error")
    ]
    assert not errors, "\n".join(errors)
