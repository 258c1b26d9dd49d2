"""Webhooks deliver new updates, milestone changes and reports to a real HTTP receiver on
127.0.0.1: signed JSON, Discord and Slack shapes, retries with backoff, a pause after a
day of failures; time is injected, nothing sleeps (#15)."""

import hashlib
import hmac
import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select, update

from tests.factories import make_milestone
from tests.factories.feeds import make_channel
from tests.factories.reports import update_entry
from tests.feed_server import FeedServer, Route
from tracker.campaigns.milestones import change_milestone
from tracker.feeds.fetch_policy import FetchPolicy
from tracker.feeds.store import store_entries
from tracker.models import Actor, Entry, Webhook, WebhookAttempt, WebhookDelivery
from tracker.reports.periods import Period
from tracker.reports.publishing import publish_report
from tracker.views.webhook_texts import headline
from tracker.webhooks.delivery import deliver_due, forget_delivered, webhook_policy
from tracker.webhooks.events import collect_events
from tracker.webhooks.hooks import add_hook, resume_hook

T0 = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
LOCAL = FetchPolicy(allow_private=True)  # the receiver listens on 127.0.0.1
POLICY = webhook_policy(LOCAL, 10.0)  # a loaded test machine answers slowly
IMPATIENT = webhook_policy(LOCAL, 0.5)  # for the receiver that never answers


def url_for(endpoint, **values):
    return f"https://tracker.example/{endpoint}/" + "/".join(str(v) for v in values.values())


@pytest.fixture
def receiver():
    with FeedServer() as server:
        server.route("/hook", status=204)
        yield server


def _hook(session, campaign, receiver, kind="json", path="/hook", at=T0):
    hook = add_hook(session, campaign, kind=kind, url=receiver.url(path), policy=LOCAL, now=at)
    session.commit()
    return hook


def _post_update(session, campaign, *, at, title="Beta is out"):
    channel = make_channel(session, campaign, role="updates", title="Devlog")
    entry = update_entry("beta", title, at.date())
    store_entries(session, channel, [replace(entry, published_at=at)], now=at)
    session.commit()


def _run(app, session, *, now, policy=POLICY):
    collect_events(session, now=now, url_for=url_for)
    session.commit()
    with app.app_context():  # as the worker sends: chat messages in the campaign's language
        summary = deliver_due(
            app.extensions["tracker.engine"], policy=policy, now=now, describe=headline
        )
    session.expire_all()
    return summary


def _posts(server, path="/hook"):
    return [r for r in server.requests_to(path) if r.method == "POST"]


def test_a_new_update_reaches_a_json_hook_signed_as_documented(app, session, campaign, receiver):
    hook = _hook(session, campaign, receiver)
    _post_update(session, campaign, at=T0 + timedelta(minutes=5))

    assert _run(app, session, now=T0 + timedelta(minutes=5, seconds=30)).delivered == 0  # settling
    assert _run(app, session, now=T0 + timedelta(minutes=7)).delivered == 1
    assert _run(app, session, now=T0 + timedelta(minutes=9)).delivered == 0  # owed once

    [request] = _posts(receiver)
    headers = {name.lower(): value for name, value in request.headers.items()}
    timestamp = headers["x-tracker-timestamp"]
    assert int(timestamp) == int((T0 + timedelta(minutes=7)).timestamp())
    expected = hmac.new(
        hook.secret.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256
    ).hexdigest()
    assert headers["x-tracker-signature"] == f"v1={expected}"
    assert headers["x-tracker-event"] == "update.published"
    assert headers["content-type"] == "application/json"
    body = json.loads(request.body)
    assert body["event"] == "update.published"
    assert body["delivery"] == headers["x-tracker-delivery"]
    assert body["campaign"] == {
        "slug": "synth",
        "title": campaign.title,
        "language": "en",
        "url": "https://tracker.example/public.campaign/synth",
    }
    assert body["update"]["title"] == "Beta is out"
    assert body["update"]["url"] == "https://blog.example/beta"
    assert body["update"]["channel"] == "Devlog"
    [attempt] = session.scalars(select(WebhookAttempt)).all()
    assert (attempt.status_code, attempt.error) == (204, None)


def test_a_channels_archive_is_no_news(app, session, campaign, receiver):
    _hook(session, campaign, receiver)
    # A first poll stores posts published long before the hook was made: not sent.
    _post_update(session, campaign, at=T0 - timedelta(days=30))
    assert _run(app, session, now=T0 + timedelta(minutes=5)).delivered == 0
    assert _posts(receiver) == [] and session.scalars(select(WebhookDelivery)).all() == []


def test_discord_and_slack_get_their_own_message_shapes(app, session, campaign, receiver):
    receiver.route("/discord", status=204)
    receiver.route("/slack", status=200, body=b"ok")
    _hook(session, campaign, receiver, kind="discord", path="/discord")
    _hook(session, campaign, receiver, kind="slack", path="/slack")
    milestone = make_milestone(session, campaign, title="Beta <release>")
    _post_update(session, campaign, at=T0 + timedelta(minutes=1), title="@everyone beta & more")
    change_milestone(
        session, milestone, actor=Actor(label="t"), status="done", now=T0 + timedelta(minutes=2)
    )
    session.commit()

    _run(app, session, now=T0 + timedelta(minutes=5))  # the change may still be corrected
    assert [json.loads(r.body)["content"] for r in _posts(receiver, "/discord")] == [
        f"{campaign.title} posted an update: @everyone beta & more\nhttps://blog.example/beta"
    ]
    _run(app, session, now=T0 + timedelta(minutes=20))  # past the 15 minutes to correct it

    update, change = (json.loads(r.body) for r in _posts(receiver, "/discord"))
    assert update["allowed_mentions"] == {"parse": []}  # no @everyone ping
    assert update["embeds"][0]["url"] == "https://blog.example/beta"
    assert update["embeds"][0]["title"] == "@everyone beta & more"
    assert change == {
        "content": f"{campaign.title}: “Beta <release>” is now Done\n"
        "https://tracker.example/public.campaign/synth",
        "allowed_mentions": {"parse": []},
    }
    slack_update, slack_change = (json.loads(r.body) for r in _posts(receiver, "/slack"))
    assert slack_update["text"] == (
        f"{campaign.title} posted an update: @everyone beta &amp; more\n<https://blog.example/beta>"
    )
    assert slack_change["text"].startswith(f"{campaign.title}: “Beta &lt;release&gt;” is now Done")
    assert slack_change["blocks"] == [
        {"type": "section", "text": {"type": "mrkdwn", "text": slack_change["text"]}}
    ]
    assert all(r.headers.get("X-Tracker-Signature") is None for r in _posts(receiver, "/slack"))


def test_a_german_campaigns_chat_messages_are_in_german(app, session, campaign, receiver):
    campaign.language = "de"
    session.add(campaign)
    receiver.route("/discord", status=204)
    receiver.route("/slack", status=200, body=b"ok")
    _hook(session, campaign, receiver, kind="discord", path="/discord")
    _hook(session, campaign, receiver, kind="slack", path="/slack")
    json_hook = _hook(session, campaign, receiver)
    beta = make_milestone(session, campaign, title="Beta", due_on=date(2027, 2, 1))
    gamma = make_milestone(session, campaign, title="Gamma")
    _post_update(session, campaign, at=T0 + timedelta(minutes=1), title="Beta ist da")
    at = T0 + timedelta(minutes=2)
    change_milestone(
        session, beta, actor=Actor(label="t"), due_on=date(2027, 3, 1), reason="MIDI", now=at
    )
    change_milestone(session, gamma, actor=Actor(label="t"), status="done", now=at)
    session.commit()

    _run(app, session, now=T0 + timedelta(minutes=20))

    update, moved, done = (json.loads(r.body)["content"] for r in _posts(receiver, "/discord"))
    assert update == f"{campaign.title} hat ein Update veröffentlicht: Beta ist da\n" + (
        "https://blog.example/beta"
    )
    assert moved.startswith(
        f"{campaign.title}: „Beta“ verschoben vom 1. Feb. 2027 auf den 1. März 2027: MIDI\n"
    )
    assert done.startswith(f"{campaign.title}: „Gamma“ ist jetzt Erledigt\n")
    slack = [json.loads(r.body)["text"] for r in _posts(receiver, "/slack")]
    assert slack[0].startswith(f"{campaign.title} hat ein Update veröffentlicht: Beta ist da")
    # The generic body is data, the same in every language; it names the campaign's.
    bodies = [json.loads(r.body) for r in _posts(receiver)]
    assert {body["campaign"]["language"] for body in bodies} == {"de"}
    assert bodies[1]["change"]["from"] == "2027-02-01"
    assert json_hook.kind == "json"


def test_a_published_report_and_a_moved_date_with_its_reason(app, session, campaign, receiver):
    _hook(session, campaign, receiver)
    milestone = make_milestone(session, campaign, title="Beta", due_on=date(2027, 2, 1))
    change_milestone(
        session,
        milestone,
        actor=Actor(label="t"),
        due_on=date(2027, 3, 1),
        reason="Windows MIDI",
        now=T0 + timedelta(minutes=1),
    )
    publish_report(
        session,
        campaign,
        pdf=b"%PDF-1.4 test",
        pages=1,
        period=Period(date(2026, 11, 1), date(2026, 11, 15)),
        language="en",
        title="First weeks",
        actor=Actor(label="t"),
        issued_at=T0 + timedelta(minutes=2),
    )
    session.commit()
    _run(app, session, now=T0 + timedelta(minutes=20))
    change, report = (json.loads(r.body) for r in _posts(receiver))
    assert report["event"] == "report.published"
    assert report["report"]["url"] == "https://tracker.example/reports.published_pdf/synth/1"
    assert report["report"]["version"] == 1
    assert change["event"] == "milestone.changed"
    assert change["change"] == {
        "field": "due_on",
        "from": "2027-02-01",
        "to": "2027-03-01",
        "reason": "Windows MIDI",
    }


def test_failures_are_retried_with_backoff_and_every_attempt_is_logged(
    app, session, campaign, receiver
):
    answers = iter([Route(status=503, body=b"busy"), Route(stall=True), Route(status=204)])
    receiver.route("/flaky", lambda request: next(answers))
    hook = _hook(session, campaign, receiver, path="/flaky")
    _post_update(session, campaign, at=T0 + timedelta(minutes=1))

    assert _run(app, session, now=T0 + timedelta(minutes=3)).failed == 1  # 503
    assert _run(app, session, now=T0 + timedelta(minutes=3, seconds=59)).failed == 0  # waits 1 min
    assert _run(app, session, now=T0 + timedelta(minutes=4), policy=IMPATIENT).failed == 1
    assert _run(app, session, now=T0 + timedelta(minutes=5, seconds=59)).failed == 0  # 2 min
    assert _run(app, session, now=T0 + timedelta(minutes=6)).delivered == 1

    attempts = session.scalars(select(WebhookAttempt).order_by(WebhookAttempt.id)).all()
    assert [(a.status_code, a.error) for a in attempts] == [
        (503, "HTTP 503: busy"),
        (None, "timed out after 0.5 s"),
        (204, None),
    ]
    assert [a.attempted_at for a in attempts] == [T0 + timedelta(minutes=m) for m in (3, 4, 6)]
    uids = {r.headers["X-Tracker-Delivery"] for r in _posts(receiver, "/flaky")}
    assert len(uids) == 1  # one event, the same delivery id on every retry
    hook = session.get(Webhook, hook.id)
    assert hook.failing_since is None and hook.last_success_at == T0 + timedelta(minutes=6)

    # The log keeps a delivered event for 30 days, then forgets it with its attempts.
    assert forget_delivered(session, now=T0 + timedelta(days=30, minutes=5)) == 0
    assert forget_delivered(session, now=T0 + timedelta(days=30, minutes=7)) == 1
    session.commit()
    assert session.scalars(select(WebhookAttempt)).all() == []


def test_a_hook_failing_for_a_day_is_paused_until_resumed(app, session, campaign, receiver):
    receiver.route("/down", status=500)
    hook = _hook(session, campaign, receiver, path="/down")
    _post_update(session, campaign, at=T0 + timedelta(minutes=1))

    now = T0 + timedelta(minutes=3)
    while session.get(Webhook, hook.id).state == "active":
        _run(app, session, now=now)
        now += timedelta(hours=1)  # the backoff reaches an hour and stays there
        assert now < T0 + timedelta(days=2)
    hook = session.get(Webhook, hook.id)
    assert hook.paused_at - hook.failing_since >= timedelta(days=1)
    assert hook.paused_at - hook.failing_since < timedelta(days=1, hours=1)
    tried = len(_posts(receiver, "/down"))
    assert _run(app, session, now=now + timedelta(days=1)).failed == 0  # paused: left alone
    assert len(_posts(receiver, "/down")) == tried

    receiver.route("/down", status=204)
    resume_hook(session, hook, now=now + timedelta(days=1))
    session.commit()
    assert _run(app, session, now=now + timedelta(days=1)).delivered == 1
    assert session.get(Webhook, hook.id).state == "active"


def test_a_reply_under_an_own_post_is_no_update(app, session, campaign, receiver):
    _hook(session, campaign, receiver)
    at = T0 + timedelta(minutes=1)
    channel = make_channel(session, campaign, role="updates", title="Mastodon")
    post = update_entry("post", "Beta is out", at.date())
    reply = update_entry("re", "Meh", at.date())
    stored = store_entries(
        session, channel, [replace(post, published_at=at), replace(reply, published_at=at)], now=at
    )
    post_id, reply_id = stored.new_ids
    session.execute(update(Entry).where(Entry.id == reply_id).values(parent_id=post_id))
    session.commit()
    assert _run(app, session, now=T0 + timedelta(minutes=5)).delivered == 1
    [request] = _posts(receiver)
    assert json.loads(request.body)["update"]["title"] == "Beta is out"
