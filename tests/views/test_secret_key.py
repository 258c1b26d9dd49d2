"""Serving without a secret key is refused; only `tracker run --debug` relaxes, locally."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tracker import create_app
from tracker.views.security import MissingSecretKey


def test_create_app_refuses_to_serve_without_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("TRACKER_SECRET_KEY", raising=False)
    with pytest.raises(MissingSecretKey, match="TRACKER_SECRET_KEY"):
        create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"})


def test_secure_cookie_outside_debug(tmp_path):
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
            "SECRET_KEY": "k",
            "PUBLIC_URL": "https://tracker.example",
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_flask_debug_in_a_servers_environment_relaxes_nothing(tmp_path, monkeypatch):
    # gunicorn started with FLASK_DEBUG=1: no made-up secret key, no cookies over plain http.
    monkeypatch.setenv("FLASK_DEBUG", "1")
    monkeypatch.delenv("TRACKER_SECRET_KEY", raising=False)
    config = {"DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3", "PUBLIC_URL": "https://t.example"}
    with pytest.raises(MissingSecretKey, match="TRACKER_SECRET_KEY"):
        create_app(config)
    app = create_app({**config, "SECRET_KEY": "k"})
    assert app.debug is False
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


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
