"""A session ends on the server: a cookie copied before logout or a password change is dead."""

from flask_login import login_user

from tests.conftest import PASSWORD, FormClient
from tests.factories import make_user
from tracker.accounts.users import find_user
from tracker.cli import main


def _copy_of(client, app):
    """Return a new client holding only the session cookie of client, as a thief would."""
    thief = FormClient(app.test_client())
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_a_copied_cookie_stops_working_at_logout(app, client, session):
    user = make_user(session)
    client.login(user.email)
    thief = _copy_of(client, app)
    assert thief.get("/dashboard/").status_code == 200
    assert client.post("/auth/logout").status_code == 303
    response = thief.get("/dashboard/")
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


def test_logout_ends_the_sessions_of_every_device(app, client, session):
    user = make_user(session)
    client.login(user.email)
    other_device = FormClient(app.test_client())
    other_device.login(user.email)
    assert client.post("/auth/logout").status_code == 303
    assert other_device.get("/dashboard/").status_code == 302
    other_device.login(user.email)  # logging in again works
    assert other_device.get("/dashboard/").status_code == 200


def test_a_password_change_ends_every_session(app, client, session):
    user = make_user(session)
    client.login(user.email)
    result = app.test_cli_runner().invoke(
        main,
        ["users", "set-password", user.email, "--password-stdin"],
        input="a new long password\n",
    )
    assert result.exit_code == 0, result.output
    assert client.get("/dashboard/").status_code == 302
    response = client.post("/auth/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 422
    client.login(user.email, "a new long password")
    assert client.get("/dashboard/").status_code == 200


def test_set_password_refuses_a_short_one_in_one_line(app, session):
    user = make_user(session)
    result = app.test_cli_runner().invoke(
        main, ["users", "set-password", user.email, "--password-stdin"], input="short\n"
    )
    assert result.exit_code == 1
    assert result.output.strip() == "Error: password: Use at least 10 characters."


def test_a_remember_cookie_stops_working_at_logout(app, client, session):
    user = make_user(session)
    with app.test_request_context():
        login_user(find_user(session, user.email), remember=True)
        response = app.process_response(app.response_class())
    remember = next(
        header.split(";")[0].split("=", 1)[1]
        for header in response.headers.getlist("Set-Cookie")
        if header.startswith("remember_token=")
    )
    thief = FormClient(app.test_client())
    thief.set_cookie("remember_token", remember)
    assert thief.get("/dashboard/").status_code == 200
    client.login(user.email)
    assert client.post("/auth/logout").status_code == 303
    thief.delete_cookie("session")
    assert thief.get("/dashboard/").status_code == 302
