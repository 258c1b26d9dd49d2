"""The registration form states the password rule before it compares the two passwords."""

from sqlmodel import select

from tracker.models import User


def test_a_short_password_is_told_its_rule_before_the_mismatch(client, session):
    response = client.post(
        "/auth/register",
        data={"email": "kim@example.com", "password": "short", "confirm": "shor"},
    )
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    rule, differ = html.find("Use at least 10 characters."), html.find("The passwords differ.")
    assert rule != -1 and differ != -1
    assert rule < differ  # in the password field, above the repeated one
    assert session.exec(select(User).where(User.email == "kim@example.com")).first() is None
