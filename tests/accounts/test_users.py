"""Founder accounts: register, log in, hashed passwords, throttled logins, cookies."""

from sqlmodel import select

from tests.conftest import PASSWORD
from tests.factories import make_user
from tracker.models import User


def test_register_logs_in_and_stores_only_a_hash(client, session):
    response = client.post(
        "/auth/register", {"email": "Ada@Example.com", "password": PASSWORD, "confirm": PASSWORD}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/dashboard/"
    user = session.exec(select(User)).one()
    assert user.email == "ada@example.com"
    assert PASSWORD not in user.password_hash
    assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))
    assert client.get("/dashboard/").status_code == 200


def test_register_refuses_short_password_and_duplicate_email(client, session):
    make_user(session, email="taken@example.com")
    response = client.post(
        "/auth/register", {"email": "taken@example.com", "password": "short", "confirm": "short"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Use at least 10 characters." in page
    assert "An account with this email already exists." in page
    assert len(session.exec(select(User)).all()) == 1


def test_login_wrong_password_is_refused_without_saying_which(client, session):
    user = make_user(session)
    response = client.post("/auth/login", {"email": user.email, "password": "wrong password!"})
    assert response.status_code == 422
    assert "The email or the password is wrong." in response.get_data(as_text=True)
    assert client.get("/dashboard/").status_code == 302


def test_login_is_rate_limited_after_five_failures(client, session):
    user = make_user(session)
    for _ in range(5):
        failed = client.post("/auth/login", {"email": user.email, "password": "wrong password!"})
        assert failed.status_code == 422
    # Even the right password is refused while the window lasts.
    response = client.post("/auth/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)


def test_session_cookie_is_httponly_and_lax(client, session):
    user = make_user(session)
    response = client.login(user.email)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_logout_needs_post(client, session):
    user = make_user(session)
    client.login(user.email)
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 303
    assert client.get("/dashboard/").status_code == 302


def test_login_redirect_stays_on_this_site(client, session):
    user = make_user(session)
    response = client.post(
        "/auth/login?next=//evil.example/x", {"email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/dashboard/"
