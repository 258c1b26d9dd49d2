"""The outbox sends through a real SMTP server: both parts and the unsubscribe headers,
4xx retried with backoff, 5xx bounced and that address stopped, one message each."""

from datetime import timedelta

import pytest
from sqlmodel import select

from tests.worker import run_jobs
from tracker import create_app
from tracker.jobs.mail import delivery_rules, mail_transport
from tracker.mail.messages import Letter
from tracker.mail.outbox import deliver_due, queue_letter
from tracker.models import OutboxMessage, Subscriber, utcnow

UNSUBSCRIBE = "https://tracker.example/mail/unsubscribe/token"


def _letter(subject="Hello", **values) -> Letter:
    return Letter(
        subject=subject,
        text="Plain words.",
        html="<p>Plain words.</p>",
        unsubscribe_url=UNSUBSCRIBE,
        **values,
    )


def _queue(session, *recipients, kind="test"):
    rows = [
        queue_letter(session, recipient=address, kind=kind, letter=_letter(f"To {address}"))
        for address in recipients
    ]
    session.commit()
    return rows


def _states(session) -> dict[str, str]:
    session.expire_all()
    rows = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    return {row.recipient: row.state for row in rows}


def test_a_queued_letter_is_sent_with_text_html_and_one_click_unsubscribe(app, session, smtp_sink):
    app.config["SMTP_URL"] = smtp_sink.url
    app.config["MAIL_FROM"] = "Synth <news@synth.example>"
    (row,) = _queue(session, "backer@example.com")
    app.extensions["tracker.jobs"].enqueue("mail.deliver")

    run_jobs(app)

    (message,) = smtp_sink.messages
    assert message["To"] == "backer@example.com"
    assert message["From"] == "Synth <news@synth.example>"
    assert message["Subject"] == "To backer@example.com"
    assert message["Message-ID"] == f"<outbox-{row.id}@synth.example>"
    assert message["List-Unsubscribe"] == f"<{UNSUBSCRIBE}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_body(("plain",)).get_content().strip() == "Plain words."
    assert message.get_body(("html",)).get_content().strip() == "<p>Plain words.</p>"
    assert _states(session) == {"backer@example.com": "sent"}
    session.refresh(row)
    assert row.sent_at is not None and row.attempts == 1 and row.lease is None


def test_a_4xx_defers_with_growing_delays_then_the_retry_sends_it(app, session, smtp_sink):
    app.config.update(SMTP_URL=smtp_sink.url, MAIL_RETRY_SECONDS=60)
    smtp_sink.script("slow@example.com", "451 4.3.0 try later", "452 4.2.2 full")
    _queue(session, "slow@example.com", "fine@example.com")
    rules, now = delivery_rules(app.config), utcnow()

    def deliver(at):
        return deliver_due(engine, mail_transport(app.config), rules, clock=lambda: at)

    engine = app.extensions["tracker.engine"]
    first = deliver(now)
    assert (first.sent, first.deferred) == (1, 1)
    row = session.exec(
        select(OutboxMessage).where(OutboxMessage.recipient == "slow@example.com")
    ).one()
    assert row.state == "deferred" and row.last_error == "451 4.3.0 try later"
    assert row.next_attempt_at == now + timedelta(seconds=60)
    assert deliver(now + timedelta(seconds=59)).deferred == 0  # not due yet: not tried

    assert deliver(now + timedelta(seconds=61)).deferred == 1
    session.refresh(row)
    assert row.attempts == 2 and row.next_attempt_at == now + timedelta(seconds=61 + 120)

    assert deliver(now + timedelta(seconds=200)).sent == 1
    assert _states(session) == {"slow@example.com": "sent", "fine@example.com": "sent"}
    assert smtp_sink.recipients == ["fine@example.com", "slow@example.com"]
    assert smtp_sink.attempts.count("slow@example.com") == 3


def test_too_many_4xx_bounce_the_message(app, session, smtp_sink):
    app.config.update(SMTP_URL=smtp_sink.url, MAIL_MAX_ATTEMPTS=2, MAIL_RETRY_SECONDS=1)
    smtp_sink.script("slow@example.com", "451 4.3.0 try later", "451 4.3.0 still")
    _queue(session, "slow@example.com")
    engine, rules = app.extensions["tracker.engine"], delivery_rules(app.config)
    now = utcnow()
    for seconds in (0, 10):
        deliver_due(
            engine,
            mail_transport(app.config),
            rules,
            clock=lambda s=seconds: now + timedelta(seconds=s),
        )
    row = session.exec(select(OutboxMessage)).one()
    assert row.state == "bounced" and row.last_error == "gave up after 2 attempts: 451 4.3.0 still"


def test_a_5xx_bounces_and_stops_every_message_to_that_address(app, session, smtp_sink, campaign):
    app.config["SMTP_URL"] = smtp_sink.url
    session.add(
        Subscriber(
            campaign_id=campaign.id,
            address="gone@example.com",
            language="en",
            receives="both",
            state="confirmed",
        )
    )
    _queue(session, "gone@example.com", "other@example.com", "gone@example.com")
    app.extensions["tracker.jobs"].enqueue("mail.deliver")
    smtp_sink.refuse("gone@example.com")

    run_jobs(app)

    rows = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [row.state for row in rows] == ["bounced", "sent", "bounced"]
    assert rows[0].last_error == "550 5.1.1 no such mailbox"
    assert rows[2].last_error.startswith("an earlier message bounced: 550")
    assert rows[2].attempts == 0  # never tried again
    assert smtp_sink.attempts.count("gone@example.com") == 1
    subscriber = session.exec(select(Subscriber)).one()
    session.refresh(subscriber)
    assert subscriber.bounced_at is not None


def test_a_server_that_cannot_be_reached_defers_and_keeps_the_rest_queued(app, session):
    from tests.smtp_sink import free_port

    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{free_port()}"  # nobody listens
    _queue(session, "a@example.com", "b@example.com")
    tally = deliver_due(
        app.extensions["tracker.engine"], mail_transport(app.config), delivery_rules(app.config)
    )
    assert tally.unreachable and tally.deferred == 1
    assert _states(session) == {"a@example.com": "deferred", "b@example.com": "queued"}
    row = session.exec(
        select(OutboxMessage).where(OutboxMessage.recipient == "b@example.com")
    ).one()
    assert row.lease is None  # free for the next run at once


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://mail.example", "use smtp://host:port"),
        ("smtp://", "use smtp://host:port"),
        ("smtp://mail.example:99999", "Port out of range"),
        ("smtp://user:secret@mail.example", "unencrypted"),
    ],
)
def test_a_bad_smtp_url_stops_the_start_with_a_clear_message(db_url, tmp_path, url, reason):
    with pytest.raises(ValueError, match=reason) as refused:
        create_app({"TESTING": True, "SECRET_KEY": "k", "DATABASE_URL": db_url, "SMTP_URL": url})
    assert "TRACKER_SMTP_URL" in str(refused.value)


def test_without_smtp_url_messages_are_files_listed_on_the_dev_page_only(app, client, session):
    _queue(session, "backer@example.com")
    deliver_due(
        app.extensions["tracker.engine"], mail_transport(app.config), delivery_rules(app.config)
    )
    assert client.get("/dev/mail").status_code == 404  # not debugging, no DEV_MAIL

    app.config["DEV_MAIL"] = True
    page = client.get_text("/dev/mail")
    assert "backer@example.com" in page and "To backer@example.com" in page
    link = page.split('href="/dev/mail/', 1)[1].split('"', 1)[0]
    shown = client.get(f"/dev/mail/{link}")
    assert shown.status_code == 200 and shown.mimetype == "text/plain"
    assert b"List-Unsubscribe-Post: List-Unsubscribe=One-Click" in shown.data
    assert client.get("/dev/mail/..%2Fsecret.eml").status_code == 404
