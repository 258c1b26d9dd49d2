"""Every page backers and founders see is valid HTML, in English and German (Nu HTML Checker)."""

import json
import re
import subprocess

import pytest

from tests.node_tools import java, node_tool
from tests.showcase import SHOWCASE_EMAIL, seed_showcase

PUBLIC_PAGES = [
    "/",
    "/c/lumen-deck",
    "/c/lumen-deck/timeline",
    "/auth/login",
    "/auth/register",
    "/c/no-such-campaign",
]
TEAM_PAGES = [
    "/dashboard/",
    "/dashboard/lumen-deck/",
    "/dashboard/new",
    "/dashboard/lumen-deck/edit",
    "/dashboard/lumen-deck/team",
    "/dashboard/lumen-deck/funding/",
    "/dashboard/lumen-deck/funding/imports",
    "/dashboard/lumen-deck/insights/impact",
]
LANGUAGES = ["en", "de"]
CANARY = '<!doctype html><html lang="en"><title>c</title><p id="a"></p><p id="a"></p></html>'


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_pages_have_no_html_errors(client, session, tmp_path):
    vnu = node_tool("vnu-jar/build/dist/vnu.jar")
    java_bin = java()
    seed_showcase(session)
    files = {}
    for logged_in, urls in ((False, PUBLIC_PAGES), (True, TEAM_PAGES)):
        if logged_in:
            client.login(SHOWCASE_EMAIL)
        for language in LANGUAGES:
            for url in urls:
                response = client.get(url, headers={"Accept-Language": language})
                assert response.status_code in (200, 404), url
                name = f"{language}{re.sub(r'[^a-z0-9]+', '-', url)}.html"
                (tmp_path / name).write_bytes(response.get_data())
                files[name] = f"{url} ({language})"
    # A canary proves the checker ran and reported: it must find exactly this error.
    (tmp_path / "canary.html").write_text(CANARY)
    # One JVM for all pages: starting it costs more than checking them.
    result = subprocess.run(
        [
            *(java_bin, "-jar", str(vnu), "--format", "json", "--errors-only"),
            *(str(tmp_path / name) for name in ["canary.html", *sorted(files)]),
        ],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = {}
    for m in messages:
        if m["type"] in ("error", "non-document-error"):
            name = m.get("url", "").rsplit("/", 1)[-1]
            errors.setdefault(name, []).append(
                f"{files.get(name, name)} line {m.get('lastLine')}: {m['message']}"
                f"\n    {m.get('extract', '').strip()}"
            )
    canary = errors.pop("canary.html", [])
    assert len(canary) == 1 and "Duplicate ID" in canary[0], canary
    assert not errors, "\n".join(line for found in errors.values() for line in found)
