"""The API answers every error in JSON with a message, never an HTML page."""

import pytest
from flask import abort

CODES = (400, 401, 403, 404, 405, 429, 500)


@pytest.fixture
def api_app(app):
    # Routes that fail on purpose, under /api/ like the real ones (registered before any
    # request, as Flask requires).
    def fail(code):
        if code == 500:
            raise RuntimeError("a bug")
        abort(code)

    app.add_url_rule("/api/test-failure/<int:code>", "test_failure", fail)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # a bug answers 500, as in production
    return app


@pytest.mark.parametrize("code", CODES)
def test_every_error_code_is_json_with_a_message(api_app, code):
    client = api_app.test_client()
    response = client.get(f"/api/test-failure/{code}")
    assert response.status_code == code
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert isinstance(body["error"], str) and body["error"]
    assert body["status"] == code
    assert "<html" not in response.get_data(as_text=True)


def test_routing_errors_under_api_are_json(client):
    missing = client.get("/api/campaigns/nope.json")
    assert missing.status_code == 404
    assert missing.get_json()["error"]
    wrong_method = client.delete("/api/campaigns/nope/snapshots")
    assert wrong_method.status_code == 405
    assert wrong_method.get_json()["status"] == 405


def test_a_bad_token_is_a_json_401(client, campaign):
    response = client.raw.post(
        "/api/campaigns/synth/snapshots", json={"amount": "1"}, headers={"Authorization": "x"}
    )
    assert response.status_code == 401
    assert response.get_json()["status"] == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_pages_outside_the_api_keep_their_html_error_page(client):
    response = client.get("/c/nope")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
