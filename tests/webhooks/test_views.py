"""Founders add, test, resume and remove webhooks; the secret is shown once; no hook is
called inside a web request; foreign campaigns' hooks answer 404 (#15)."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import make_campaign, make_user
from tests.feed_server import FeedServer
from tests.worker import run_jobs
from tracker.models import Webhook, WebhookAttempt, utcnow

PAGE = "/dashboard/synth/webhooks/"


@pytest.fixture
def receiver(app):
    app.config["ALLOW_PRIVATE_FEEDS"] = True  # the receiver listens on 127.0.0.1
    with FeedServer() as server:
        server.route("/hook", status=204)
        yield server


def _hooks(session) -> list[Webhook]:
    session.expire_all()
    return session.scalars(select(Webhook).order_by(Webhook.id)).all()


def test_a_json_hook_shows_its_secret_once(client, session, founder, campaign, receiver):
    created = client.post(PAGE, {"kind": "json", "url": receiver.url("/hook")})
    assert created.status_code == 201
    [hook] = _hooks(session)
    assert hook.kind == "json" and hook.secret.startswith("whsec_")
    assert hook.secret in created.get_data(as_text=True)
    page = client.get_text(PAGE)
    assert hook.secret not in page
    assert "Nothing sent yet." in page
    # A Discord URL is a secret too: the page shows its host and last characters only.
    assert receiver.url("/hook") not in page and f"127.0.0.1:{receiver.port}/…hook" in page


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://files.example/hook", "Use an http:// or https:// URL."),
        ("http://127.0.0.1:9/hook", "refused: 127.0.0.1 is a loopback address"),
        ("http://localhost/hook", "refused: localhost is a loopback name"),
        ("not a url", "Use an http:// or https:// URL."),
    ],
)
def test_bad_urls_are_refused_and_nothing_is_stored(
    client, session, founder, campaign, url, reason
):
    refused = client.post(PAGE, {"kind": "slack", "url": url})
    assert refused.status_code == 422
    assert reason in refused.get_data(as_text=True)
    assert _hooks(session) == []


def test_the_test_button_queues_the_call_for_the_worker(
    app, client, session, founder, campaign, receiver
):
    assert client.post(PAGE, {"kind": "discord", "url": receiver.url("/hook")}).status_code == 201
    [hook] = _hooks(session)
    sent = client.post(f"{PAGE}{hook.id}/test")
    assert sent.status_code == 303 and sent.headers["Location"].endswith(PAGE)
    assert receiver.requests == []  # the web request called no hook
    assert app.extensions["tracker.jobs"].huey.pending_count() == 1

    run_jobs(app)
    [ping] = receiver.requests_to("/hook")
    assert ping.method == "POST"
    assert json.loads(ping.body)["content"].startswith(
        f"Test message from the tracker for {campaign.title}\nhttp://localhost/c/synth"
    )
    page = client.get_text(PAGE)
    assert "<td>ping</td>" in page and "<td>204</td>" in page and "delivered" in page


def test_a_german_campaigns_test_message_is_in_german(
    app, client, session, founder, campaign, receiver
):
    campaign.language = "de"
    session.add(campaign)
    session.commit()
    assert client.post(PAGE, {"kind": "slack", "url": receiver.url("/hook")}).status_code == 201
    [hook] = _hooks(session)
    assert client.post(f"{PAGE}{hook.id}/test").status_code == 303

    run_jobs(app)
    [ping] = receiver.requests_to("/hook")
    assert json.loads(ping.body)["text"].startswith(
        f"Testnachricht des Trackers für {campaign.title}\n<http://localhost/c/synth>"
    )


def test_a_paused_hook_says_so_and_resumes(client, session, founder, campaign, receiver):
    assert client.post(PAGE, {"kind": "json", "url": receiver.url("/hook")}).status_code == 201
    [hook] = _hooks(session)
    hook.state, hook.failing_since, hook.paused_at = (
        "paused",
        utcnow() - timedelta(days=1),
        utcnow(),
    )
    session.add(hook)
    session.commit()
    page = client.get_text(PAGE)
    assert "paused" in page and f"{PAGE}{hook.id}/resume" in page

    assert client.post(f"{PAGE}{hook.id}/resume").status_code == 303
    assert _hooks(session)[0].state == "active"
    assert f"{PAGE}{hook.id}/resume" not in client.get_text(PAGE)

    assert client.post(f"{PAGE}{hook.id}/remove").status_code == 303
    assert _hooks(session) == []


def test_another_teams_hooks_answer_404_and_posts_need_csrf(
    client, session, founder, campaign, receiver
):
    stranger = make_user(session, email="other@example.com")
    theirs = make_campaign(session, owner=stranger, slug="theirs")
    assert client.get(f"/dashboard/{theirs.slug}/webhooks/").status_code == 404
    assert client.post(PAGE, {"kind": "json", "url": receiver.url("/hook")}).status_code == 201
    [hook] = _hooks(session)
    for action in ("test", "resume", "remove"):
        foreign = client.post(f"/dashboard/{theirs.slug}/webhooks/{hook.id}/{action}")
        assert foreign.status_code == 404
        assert client.post(f"{PAGE}{hook.id + 1}/{action}").status_code == 404
        assert client.raw.post(f"{PAGE}{hook.id}/{action}").status_code == 400  # no token
    no_token = client.raw.post(PAGE, data={"kind": "json", "url": "https://x.example/"})
    assert no_token.status_code == 400
    assert len(_hooks(session)) == 1
    assert session.scalar(select(func.count()).select_from(WebhookAttempt)) == 0
