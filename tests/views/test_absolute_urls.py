"""Absolute URLs come from the configured public address, never from the Host header."""

import http.client
import json
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from werkzeug.serving import make_server

from tests.factories import make_campaign
from tests.showcase import seed_showcase
from tracker import create_app
from tracker.cli import main
from tracker.feedback.alert_settings import feedback_settings

PUBLIC = "https://tracker.example"
EVIL = "evil.example"
# Every public response that prints an absolute URL, and the URL it must print.
ABSOLUTE = {
    "/": f'<link rel="canonical" href="{PUBLIC}/">',
    "/c/lumen-deck": f'<meta property="og:image" content="{PUBLIC}/c/lumen-deck/card.png">',
    "/c/lumen-deck/feed.atom": f'<link href="{PUBLIC}/c/lumen-deck/feed.atom" rel="self"',
    "/api/campaigns/lumen-deck.json": f'"url": "{PUBLIC}/c/lumen-deck"',
    "/sitemap.xml": f"<loc>{PUBLIC}/c/lumen-deck</loc>",
    "/robots.txt": f"Sitemap: {PUBLIC}/sitemap.xml",
}


def _serve(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


@pytest.fixture
def public_server(db_url, tmp_path):
    """Serve an app with a public address and the microcache on, as in production."""
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "DATABASE_URL": db_url,
            "PUBLIC_URL": PUBLIC + "/",
            "PUBLIC_MICROCACHE_SECONDS": 60,
        }
    )
    server, thread = _serve(app)
    yield app, server.server_port
    server.shutdown()
    thread.join()
    app.extensions["tracker.engine"].dispose()


def _get(port, path, host=None, **headers):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("GET", path, skip_host=True)
    connection.putheader("Host", host or f"127.0.0.1:{port}")
    for name, value in headers.items():
        connection.putheader(name, value)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    connection.close()
    return response.status, body


def _seed(app):
    with app.app_context():
        from tracker.db import get_session

        seed_showcase(get_session())


def test_a_forged_host_does_not_poison_what_the_next_visitor_gets(public_server):
    app, port = public_server
    _seed(app)
    for path, expected in ABSOLUTE.items():
        assert _get(port, path, host=EVIL)[0] == 200, path
        status, honest = _get(port, path)
        assert status == 200, path
        assert EVIL not in honest, path
        assert expected in honest, (path, honest)


def test_a_forged_host_never_shapes_an_absolute_url(public_server):
    app, port = public_server
    _seed(app)
    for path, expected in ABSOLUTE.items():
        status, forged = _get(port, path, host=EVIL)
        assert status == 200, path
        assert EVIL not in forged, path
        assert expected in forged, (path, forged)


def test_json_ld_and_open_graph_name_the_public_address(public_server):
    app, port = public_server
    _seed(app)
    status, body = _get(port, "/c/lumen-deck", host=EVIL)
    assert status == 200
    assert f'<link rel="canonical" href="{PUBLIC}/c/lumen-deck">' in body
    assert f'<meta property="og:url" content="{PUBLIC}/c/lumen-deck">' in body
    data = json.loads(body.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert data["url"] == data["mainEntity"]["url"] == f"{PUBLIC}/c/lumen-deck"


def _app(tmp_path, monkeypatch, **config):
    for name in ("TRACKER_PUBLIC_URL", "TRACKER_SERVER_NAME", "TRACKER_TRUSTED_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    base = {"SECRET_KEY": "k", "DATABASE_URL": f"sqlite:///{tmp_path}/t.sqlite3"}
    return create_app({**base, **config})


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"PUBLIC_URL": "https://tracker.example/"}, "https://tracker.example"),
        ({"PUBLIC_URL": "https://Tracker.Example:8443/sub/"}, "https://tracker.example:8443/sub"),
        ({"SERVER_NAME": "tracker.example"}, "https://tracker.example"),
        (
            {"SERVER_NAME": "tracker.example", "APPLICATION_ROOT": "/t/"},
            "https://tracker.example/t",
        ),
        ({"TRUSTED_HOSTS": [".example.org", "tracker.example"]}, "https://tracker.example"),
        ({"TESTING": True}, "http://localhost"),
    ],
)
def test_the_public_address_comes_from_configuration(tmp_path, monkeypatch, config, expected):
    app = _app(tmp_path, monkeypatch, **config)
    assert app.config["PUBLIC_URL"] == expected
    with app.app_context():
        from tracker.views.absolute_urls import absolute_url

        assert absolute_url("public.campaign", slug="x") == f"{expected}/c/x"


@pytest.mark.parametrize("debug", [{}, {"DEBUG": True}])
def test_serving_without_a_public_address_is_refused(tmp_path, monkeypatch, debug):
    from tracker.views.absolute_urls import MissingPublicUrl

    with pytest.raises(MissingPublicUrl, match="TRACKER_PUBLIC_URL"):
        _app(tmp_path, monkeypatch, **debug)


@pytest.mark.parametrize(
    "url",
    [
        "tracker.example",
        "ftp://tracker.example",
        "https://",
        "https://tracker.example/?a=1",
        "https://tracker.example/#top",
        "https://user@tracker.example",
        "https://tracker.example:99999",
    ],
)
def test_a_malformed_public_address_is_refused(tmp_path, monkeypatch, url):
    from tracker.views.absolute_urls import MissingPublicUrl

    with pytest.raises(MissingPublicUrl, match="TRACKER_PUBLIC_URL"):
        _app(tmp_path, monkeypatch, PUBLIC_URL=url)


def test_environment_sets_the_public_address_and_the_trusted_hosts(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_PUBLIC_URL", "https://tracker.example")
    monkeypatch.setenv("TRACKER_TRUSTED_HOSTS", "tracker.example, www.tracker.example")
    app = create_app({"SECRET_KEY": "k", "DATABASE_URL": f"sqlite:///{tmp_path}/t.sqlite3"})
    assert app.config["PUBLIC_URL"] == "https://tracker.example"
    assert app.config["TRUSTED_HOSTS"] == ["tracker.example", "www.tracker.example"]


def test_trusted_hosts_refuse_any_other_host_over_http(db_url, tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "k",
            "DATABASE_URL": db_url,
            "TRUSTED_HOSTS": "tracker.example,127.0.0.1",
        }
    )
    server, thread = _serve(app)
    try:
        port = server.server_port
        assert _get(port, "/robots.txt", host=EVIL)[0] == 400
        status, body = _get(port, "/robots.txt", host=f"127.0.0.1:{port}")
        assert status == 200
        assert "Sitemap: https://tracker.example/sitemap.xml" in body
    finally:
        server.shutdown()
        thread.join()
        app.extensions["tracker.engine"].dispose()


def test_the_cli_report_page_url_uses_the_public_address(tmp_path, monkeypatch):
    app = _app(tmp_path, monkeypatch, PUBLIC_URL="https://tracker.example/", TESTING=True)
    with app.app_context():
        from tracker.views.absolute_urls import absolute_url

        parts = urlsplit(absolute_url("reports.published_pdf", slug="x", version=2))
    assert parts.scheme == "https" and parts.netloc == "tracker.example"
    assert parts.path == "/c/x/reports/2.pdf"


def test_the_private_alert_feed_names_the_public_address(client, session):
    campaign = make_campaign(session)
    token = feedback_settings(session, campaign).alert_token
    session.commit()
    url = f"/dashboard/{campaign.slug}/feedback/alerts/{token}.atom"
    response = client.get(url, headers={"Host": EVIL})
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert EVIL not in body
    assert f"<id>tag:localhost,2026:feedback-alerts/{campaign.id}</id>" in body
    assert f'href="http://localhost{url}"' in body


def test_tracker_run_refuses_without_a_public_address(tmp_path, monkeypatch):
    for name in ("TRACKER_PUBLIC_URL", "TRACKER_SERVER_NAME", "TRACKER_TRUSTED_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("FLASK_DEBUG", raising=False)
    monkeypatch.setenv("TRACKER_SECRET_KEY", "k")
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path}/t.sqlite3")
    refused = CliRunner().invoke(main, ["run"])
    assert refused.exit_code == 1
    assert "TRACKER_PUBLIC_URL is not set" in refused.output
    # Commands that do not serve need no public address.
    assert CliRunner().invoke(main, ["db", "upgrade"]).exit_code == 0


def test_no_code_builds_an_absolute_url_from_the_request():
    repo = Path(__file__).parents[2]
    risky = re.compile(r"_external\s*=|request\.(host|host_url|url_root|base_url|root_url)\b")
    found = [
        f"{path.relative_to(repo)}:{number}"
        for path in sorted([*(repo / "tracker").rglob("*"), *(repo / "templates").rglob("*")])
        if path.suffix in (".py", ".html") and path.name != "absolute_urls.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if risky.search(line)
    ]
    assert found == [], "build absolute URLs with views.absolute_urls.absolute_url"
