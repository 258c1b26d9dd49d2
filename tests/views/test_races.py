"""Parallel requests for one e-mail, slug or tag: one wins, the others get the form's message."""

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from sqlmodel import func, select

from tests.conftest import PASSWORD
from tests.factories import make_campaign, make_user
from tracker.models import Campaign, Milestone, User

PARALLEL = 8
TOKEN_RE = re.compile(r'"X-CSRFToken": "([^"]+)"')


def _race(live_server, clients, url, form):
    """POST the same form from every client at once; return (status, body) per client."""
    tokens = []
    for client in clients:
        page = client.get(url)
        assert page.status_code == 200
        tokens.append(TOKEN_RE.search(page.text).group(1))
    start = threading.Barrier(len(clients))

    def post(client, token):
        start.wait()
        response = client.post(url, data={**form, "csrf_token": token})
        return response.status_code, response.text

    with ThreadPoolExecutor(len(clients)) as pool:
        return list(pool.map(post, clients, tokens))


def _clients(live_server, email=None):
    """Return PARALLEL clients, all in one logged-in session when email is given."""
    clients = [httpx.Client(base_url=live_server, timeout=30) for _ in range(PARALLEL)]
    if email:
        page = clients[0].get("/auth/login")
        assert page.status_code == 200
        token = TOKEN_RE.search(page.text).group(1)
        response = clients[0].post(
            "/auth/login", data={"email": email, "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 303
        for client in clients[1:]:
            client.cookies = clients[0].cookies
    return clients


def _assert_one_winner(answers, message):
    statuses = sorted(status for status, _body in answers)
    assert statuses == [303] + [422] * (PARALLEL - 1), statuses
    for status, body in answers:
        if status == 422:
            assert message in body


def test_parallel_registrations_of_one_email(live_server, session):
    form = {"email": "twin@example.com", "password": PASSWORD, "confirm": PASSWORD}
    answers = _race(live_server, _clients(live_server), "/auth/register", form)
    _assert_one_winner(answers, "An account with this email already exists.")
    assert session.exec(select(func.count()).select_from(User)).one() == 1


def test_parallel_campaigns_with_one_slug(live_server, session):
    owner = make_user(session)
    form = {
        "slug": "same-slug",
        "title": "Twin",
        "goal": "1000",
        "currency": "EUR",
        "starts_on": "2026-11-01",
        "ends_on": "2026-12-01",
        "platform": "other",
        "language": "en",
        "cadence_days": "14",
    }
    answers = _race(live_server, _clients(live_server, owner.email), "/dashboard/new", form)
    _assert_one_winner(answers, "The address &#39;same-slug&#39; is taken.")
    assert session.exec(select(func.count()).select_from(Campaign)).one() == 1


def test_parallel_milestones_with_one_tag(live_server, session):
    owner = make_user(session)
    campaign = make_campaign(session, owner=owner)
    form = {"title": "Beta", "due_on": "2027-02-01", "status": "planned", "tag": "beta"}
    url = f"/dashboard/{campaign.slug}/milestones/new"
    answers = _race(live_server, _clients(live_server, owner.email), url, form)
    _assert_one_winner(answers, "Another milestone already uses #beta.")
    tagged = select(func.count()).select_from(Milestone).where(Milestone.tag == "beta")
    assert session.exec(tagged).one() == 1
