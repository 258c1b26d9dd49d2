"""Serving without a secret key is refused; only `tracker run --debug` relaxes, locally."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from flask_login import login_user

from tracker import create_app
from tracker.models import User
from tracker.views.security import MissingSecretKey


def test_create_app_refuses_to_serve_without_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("TRACKER_SECRET_KEY", raising=False)
    with pytest.raises(MissingSecretKey, match="TRACKER_SECRET_KEY"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"})


def _cookie_attributes(app) -> dict[str, set[str]]:
    """Return the attributes of the session and remember-me cookies the app sends."""
    page = app.test_client().get("/auth/login", base_url="https://tracker.example")
    assert page.status_code == 200
    # The app logs in without "remember me"; Flask-Login would still send its cookie.
    with app.test_request_context(base_url="https://tracker.example"):
        user = User(id=1, email="ada@example.com", password_hash="-", session_generation=0)
        login_user(user, remember=True)
        remembered = app.process_response(app.response_class())
    return {
        "session": _attributes(page, "session"),
        "remember_token": _attributes(remembered, "remember_token"),
    }


def _attributes(response, cookie: str) -> set[str]:
    for header in response.headers.getlist("Set-Cookie"):
        name, *attributes = (part.strip() for part in header.split(";"))
        if name.startswith(f"{cookie}=") and name != f"{cookie}=":  # not a deletion
            return set(attributes)
    raise AssertionError(f"no {cookie} cookie set")


def test_cookies_are_secure_outside_debug(tmp_path):
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
            "SECRET_KEY": "k",
            "PUBLIC_URL": "https://tracker.example",
        }
    )
    cookies = _cookie_attributes(app)
    for name in ("session", "remember_token"):
        assert {"Secure", "HttpOnly", "SameSite=Lax"} <= cookies[name], (name, cookies[name])


def test_flask_debug_in_a_servers_environment_relaxes_nothing(tmp_path, monkeypatch):
    # gunicorn started with FLASK_DEBUG=1: no made-up secret key, no cookies over plain http.
    monkeypatch.setenv("FLASK_DEBUG", "1")
    monkeypatch.delenv("TRACKER_SECRET_KEY", raising=False)
    config = {"DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3", "PUBLIC_URL": "https://t.example"}
    with pytest.raises(MissingSecretKey, match="TRACKER_SECRET_KEY"):
        create_app(config)
    app = create_app({**config, "SECRET_KEY": "k"})

    @app.get("/a-bug")
    def a_bug():
        raise RuntimeError("a bug in a view")

    # Debug on would raise it here (or show the traceback): a server answers a plain 500.
    page = app.test_client().get("/a-bug")
    assert page.status_code == 500 and "a bug in a view" not in page.get_data(as_text=True)
    cookies = _cookie_attributes(app)
    assert "Secure" in cookies["session"] and "Secure" in cookies["remember_token"]


def test_tracker_run_debug_serves_this_machine_over_http(tmp_path, sqlite_template):
    # What `make run` does: no secret key, no public address, plain http on 127.0.0.1.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TRACKER_", "FLASK_"))
    }
    shutil.copy(sqlite_template, tmp_path / "t.sqlite3")
    env["TRACKER_DATABASE_URL"] = f"sqlite:///{tmp_path}/t.sqlite3"
    tracker = str(Path(sys.executable).with_name("tracker"))
    server = subprocess.Popen(
        [tracker, "run", "--debug", "--no-reload", "--port", "0"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        address = None
        for line in server.stderr:  # waits for the server to say where it listens
            if match := re.search(r"Running on (http://127\.0\.0\.1:\d+)", line):
                address = match.group(1)
                break
        assert address, "the debug server did not start"
        response = httpx.get(f"{address}/auth/login", timeout=10)
        assert response.status_code == 200
        cookies = response.headers.get_list("Set-Cookie")
        session_cookie = next(c for c in cookies if c.startswith("session="))
        assert "Secure" not in session_cookie
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stderr.close()
