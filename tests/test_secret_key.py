"""Serving without a secret key outside debug is refused."""

import pytest

from tracker import create_app
from tracker.security import MissingSecretKey


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
