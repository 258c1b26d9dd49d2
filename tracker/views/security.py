"""Secret key, session cookies, CSRF, login manager and the security headers."""

import secrets
from pathlib import Path

from flask import Flask, request
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from tracker.accounts.users import user_for_session
from tracker.db import get_session
from tracker.models import User
from tracker.validation import parse_int

csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.session_protection = "strong"

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: https:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)


class MissingSecretKey(RuntimeError):
    """Serving without TRACKER_SECRET_KEY is refused (except by `tracker run --debug`)."""


@login_manager.user_loader
def _load_user(session_id: str) -> User | None:
    return user_for_session(get_session(), session_id)


def init_app(app: Flask) -> None:
    """Settle the secret key, cookies and proxies; enable CSRF and logins; add headers."""
    # Nothing here depends on debug: FLASK_DEBUG=1 left in a server's environment must not
    # make up a secret key or send cookies over plain http (see relax_for_local_debug).
    if not app.config.get("SECRET_KEY") and app.config.get("REQUIRE_SECRET_KEY", True):
        raise MissingSecretKey(
            "TRACKER_SECRET_KEY is not set: refusing to serve without a secret key"
        )
    if app.testing:
        app.config["SESSION_COOKIE_SECURE"] = False
        app.config["REMEMBER_COOKIE_SECURE"] = False
    else:
        app.config["REMEMBER_COOKIE_SECURE"] = app.config["SESSION_COOKIE_SECURE"]
    proxies = parse_int(app.config.get("PROXY_COUNT") or 0, field="PROXY_COUNT", maximum=10)
    if proxies:
        # Only behind configured proxies, and only their last `proxies` hops, are believed:
        # the client's address (login throttle, sessions) and https (HSTS, CSRF referrer).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    csrf.init_app(app)
    login_manager.init_app(app)
    app.after_request(_add_security_headers)


def relax_for_local_debug(app: Flask) -> None:
    """Let `tracker run --debug` serve this machine over http without a configured key."""
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _dev_secret_key(app)
    app.config["SESSION_COOKIE_SECURE"] = False
    app.config["REMEMBER_COOKIE_SECURE"] = False


def _dev_secret_key(app: Flask) -> str:
    # Kept in the instance folder so a debug restart does not log everyone out.
    path = Path(app.instance_path) / "dev-secret-key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response
