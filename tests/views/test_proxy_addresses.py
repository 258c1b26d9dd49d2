"""Client addresses: X-Forwarded-For counts only from the configured number of proxies."""

import re

import httpx
import pytest

from tests.conftest import PASSWORD
from tests.factories import make_user
from tracker import create_app

TOKEN_RE = re.compile(r'"X-CSRFToken": "([^"]+)"')


@pytest.fixture(params=[0, 1], ids=["no-proxy", "one-proxy"])
def app(request, db_url):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "DATABASE_URL": db_url,
            "PUBLIC_MICROCACHE_SECONDS": 0,
            "PROXY_COUNT": request.param,
        }
    )
    yield app
    app.extensions["tracker.engine"].dispose()


def _login(live_server, email, password, forwarded_for):
    with httpx.Client(base_url=live_server, headers={"X-Forwarded-For": forwarded_for}) as client:
        page = client.get("/auth/login")
        assert page.status_code == 200
        token = TOKEN_RE.search(page.text).group(1)
        form = {"email": email, "password": password, "csrf_token": token}
        return client.post("/auth/login", data=form).status_code


def test_forwarded_address_is_believed_only_from_a_configured_proxy(app, live_server, session):
    alice = make_user(session)
    # Alice logged in from home before; then someone fails five times on her account.
    assert _login(live_server, alice.email, PASSWORD, "198.51.100.7") == 303
    for _ in range(5):
        assert _login(live_server, alice.email, "wrong password!", "203.0.113.66") == 422
    # Behind one proxy, the proxy's last X-Forwarded-For entry is the client: the attacker's
    # pair is throttled, alice at home is not, and a forged first entry changes nothing.
    # Without a configured proxy, the header is ignored: every request is 127.0.0.1.
    behind_proxy = app.config["PROXY_COUNT"] == 1
    assert _login(live_server, alice.email, PASSWORD, "198.51.100.7") == (
        303 if behind_proxy else 429
    )
    assert _login(live_server, alice.email, PASSWORD, "198.51.100.7, 203.0.113.66") == 429
