"""Every `next` the app reads sends the browser only to a path on this site."""

import pytest

from tests.conftest import PASSWORD
from tests.factories import make_user

# Raw query-string values, as an attacker would put them in a link.
BYPASSES = [
    "//evil.example",
    "///evil.example",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "/%252F%252Fevil.example",
    "/\\evil.example",
    "/%5Cevil.example",
    "/%255Cevil.example",
    "%5C%5Cevil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%0d%0a/evil.example",
    "/%0d%0aSet-Cookie:%20x=1",
    "%09//evil.example",
    "%20//evil.example",
    "/%2509/evil.example",
    "/%00/evil.example",
    "/%E2%80%8B/evil.example",  # zero-width space
    "/%E2%80%AE/evil.example",  # right-to-left override
    "%E3%80%80//evil.example",  # ideographic space
    "/%C2%A0/evil.example",  # no-break space
    "/./%2F/evil.example",
    "/.%2F%2Fevil.example",
    "/../evil.example",
    "https:evil.example",
    "https://evil.example/",
    "http:/evil.example",
    "HtTpS://evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,x",
    "evil.example",
    "",
    "/" + "a" * 5000,
]


def _is_local_path(location: str) -> bool:
    return (
        location.startswith("/")
        and location[1:2] not in ("/", "\\")
        and location.isascii()
        and location.isprintable()
        and " " not in location
    )


# Redirects do not depend on the database: run these on SQLite only (each login hashes).
pytestmark = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


@pytest.fixture
def user(session):
    return make_user(session, email="next@example.com")


def test_login_never_redirects_off_site(client, user):
    answers = {}
    for raw in BYPASSES:
        response = client.post(
            f"/auth/login?next={raw}", {"email": user.email, "password": PASSWORD}
        )
        answers[raw] = (response.status_code, response.headers.get("Location"))
    wrong = {raw: got for raw, got in answers.items() if got != (303, "/dashboard/")}
    assert wrong == {}


def test_language_switch_never_redirects_off_site(client):
    answers = {}
    for raw in BYPASSES:
        response = client.get(f"/lang/de?next={raw}")
        answers[raw] = (response.status_code, response.headers.get("Location"))
    wrong = {raw: got for raw, got in answers.items() if got != (303, "/")}
    assert wrong == {}


@pytest.mark.parametrize(
    ("raw", "location"),
    [
        ("/dashboard/lumen/", "/dashboard/lumen/"),
        ("/dashboard/lumen/feeds?page=2%26x%3D1", "/dashboard/lumen/feeds?page=2&x=1"),
        ("/c/%C3%A9t%C3%A9", "/c/%C3%A9t%C3%A9"),
        ("/c/%EF%BC%8F%EF%BC%8Fevil.example", "/c/%EF%BC%8F%EF%BC%8Fevil.example"),
        ("/%EF%BC%8F%EF%BC%8Fevil.example", "/%EF%BC%8F%EF%BC%8Fevil.example"),
        ("/@evil.example", "/@evil.example"),
    ],
)
def test_login_keeps_paths_on_this_site_percent_encoded(client, user, raw, location):
    response = client.post(f"/auth/login?next={raw}", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 303
    assert response.headers["Location"] == location
    assert _is_local_path(response.headers["Location"])
