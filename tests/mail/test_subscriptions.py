"""Double opt-in through the real SMTP server: one answer for every address, nothing but
the confirmation before confirming, signed links, one-click unsubscribe, rate limits."""

import re
import time

from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlmodel import select

from tests.worker import run_jobs
from tracker.mail import tokens
from tracker.mail.subscribers import queue_report_mail
from tracker.models import OutboxMessage, PublishedReport, Subscriber

SUBSCRIBE = "/c/synth/subscribe"
TOKEN = re.compile(r'(name="csrf_token" value|"X-CSRFToken": )"[^"]+"')


def _subscribe(client, address="backer@example.com", language="en", receives="both", **kw):
    data = {"address": address, "language": language, "receives": receives}
    return client.post(SUBSCRIBE, data, **kw)


def _answer(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)
    return TOKEN.sub("TOKEN", response.get_data(as_text=True))


def _links(message) -> list[str]:
    return re.findall(r"https?://\S+", message.get_body(("plain",)).get_content())


def _subscribers(session):
    session.expire_all()
    return session.exec(select(Subscriber).order_by(Subscriber.id)).all()


def _report(session, campaign, title="November 2026") -> PublishedReport:
    from datetime import date

    report = PublishedReport(
        campaign_id=campaign.id, version=1, title=title, period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30), language="en", sha256="0" * 64, size=9, pages=3,
        pdf=b"%PDF-1.7\n", published_label="test",
    )  # fmt: skip
    session.add(report)
    session.flush()
    return report


def _confirm_link(message) -> str:
    """Return the path of the message's confirmation link."""
    link = next(link for link in _links(message) if "/mail/confirm/" in link)
    return link.removeprefix("http://localhost")


def test_the_form_gives_one_answer_whatever_the_address_and_only_confirms_first(
    app, client, session, campaign, smtp_sink
):
    app.config["SMTP_URL"] = smtp_sink.url
    form = client.get(SUBSCRIBE)
    assert form.status_code == 200 and 'name="csrf_token"' in form.get_data(as_text=True)
    assert "no-store" in form.headers["Cache-Control"]

    first = _answer(_subscribe(client))
    assert "Check your inbox" in first
    run_jobs(app)
    (confirmation,) = smtp_sink.messages
    assert confirmation["Subject"] == f"Confirm your subscription to {campaign.title}"
    assert confirmation["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert _subscribers(session)[0].state == "pending"

    # Nothing but that message before the address is confirmed: a report skips it.
    assert queue_report_mail(session, _report(session, campaign)) == 0
    session.commit()

    link = client.get(_confirm_link(smtp_sink.messages[0]))
    assert link.status_code == 200 and "Confirm my subscription" in link.get_data(as_text=True)
    assert _subscribers(session)[0].state == "pending"  # opening the link changes nothing

    again = _answer(_subscribe(client))  # pending: a new link, the same answer
    run_jobs(app)
    replaced = client.get(_confirm_link(smtp_sink.messages[0]))
    assert replaced.status_code == 404  # only the newest link works
    confirmed = client.post(_confirm_link(smtp_sink.messages[1]))
    assert confirmed.status_code == 200 and "is confirmed" in confirmed.get_data(as_text=True)
    assert _subscribers(session)[0].state == "confirmed"

    known = _answer(_subscribe(client))  # confirmed: a note to that address, same answer
    other = _answer(_subscribe(client, "stranger@example.com"))
    assert first == again == known == other.replace("stranger@example.com", "backer@example.com")
    run_jobs(app)
    assert [m["To"] for m in smtp_sink.messages] == [
        "backer@example.com", "backer@example.com", "backer@example.com", "stranger@example.com",
    ]  # fmt: skip
    assert "already" in smtp_sink.messages[2]["Subject"]


def test_a_bad_address_is_refused_next_to_the_field_and_nothing_is_kept(client, session, campaign):
    refused = _subscribe(client, "not an address")
    assert refused.status_code == 400
    assert 'class="error"' in refused.get_data(as_text=True)
    assert _subscribers(session) == []
    assert _subscribe(client, receives="everything").status_code == 400
    assert (
        client.raw.post(SUBSCRIBE, data={"address": "a@example.com"}).status_code == 400
    )  # no CSRF


def test_an_expired_or_forged_confirmation_link_is_refused(app, client, session, campaign):
    assert _subscribe(client).status_code == 200
    subscriber = _subscribers(session)[0]

    class EightDaysAgo(TimestampSigner):
        def get_timestamp(self):
            return int(time.time()) - 8 * 24 * 3600

    signed = URLSafeTimedSerializer(
        "test-secret-key", salt=tokens._CONFIRM_SALT, signer=EightDaysAgo
    )
    old = signed.dumps([subscriber.id, tokens.subscriber_digest(subscriber)])
    expired = client.post(f"/mail/confirm/{old}")
    assert expired.status_code == 404 and "expired" in expired.get_data(as_text=True)
    forged = tokens.confirm_token("another-secret", subscriber)
    assert client.post(f"/mail/confirm/{forged}").status_code == 404
    assert _subscribers(session)[0].state == "pending"


def test_one_click_unsubscribe_without_cookie_or_token_deletes_the_address(
    app, client, session, campaign, smtp_sink
):
    app.config["SMTP_URL"] = smtp_sink.url
    assert _subscribe(client, language="de").status_code == 200
    run_jobs(app)
    assert client.post(_confirm_link(smtp_sink.messages[0])).status_code == 200
    assert queue_report_mail(session, _report(session, campaign)) == 1
    session.commit()
    run_jobs(app)
    report_mail = smtp_sink.messages[1]
    assert b"\r\nList-Unsubscribe: <http://localhost/mail/unsubscribe/" in smtp_sink.raw[1]
    assert report_mail["Content-Language"] == "de"  # the subscriber's language
    assert smtp_sink.messages[0]["Subject"] == f"Bestätigen Sie Ihr Abonnement von {campaign.title}"
    period = "Zeitraum: 1. Nov. 2026 \N{EN DASH} 30. Nov. 2026"
    assert period in report_mail.get_body(("plain",)).get_content()
    assert "November 2026" in report_mail["Subject"]
    assert "/c/synth/reports/1.pdf" in report_mail.get_body(("plain",)).get_content()
    html = report_mail.get_body(("html",)).get_content()
    assert "<img" not in html and "/c/synth/reports/1.pdf" in html
    header = report_mail["List-Unsubscribe"].strip("<>").replace("http://localhost", "")
    assert header in report_mail.get_body(("plain",)).get_content().replace("http://localhost", "")

    assert app.test_client().post("/mail/unsubscribe/forged").status_code == 404
    page = app.test_client().get(header)
    assert page.status_code == 200 and len(_subscribers(session)) == 1  # GET changes nothing

    # As a mail provider does it: no cookie, no CSRF token, the RFC 8058 body.
    provider = app.test_client()
    done = provider.post(header, data="List-Unsubscribe=One-Click",
                         content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert done.status_code == 200
    assert _subscribers(session) == []
    recipients = {row.recipient for row in session.exec(select(OutboxMessage)).all()}
    assert recipients == {"b***@example.com"}  # the delivery log keeps no address
    assert provider.post(header).status_code == 200  # again: the same answer


def test_the_unsubscribe_link_in_a_message_opens_a_page_whose_button_unsubscribes(
    app, client, session, campaign, smtp_sink
):
    app.config["SMTP_URL"] = smtp_sink.url
    assert _subscribe(client).status_code == 200
    run_jobs(app)
    link = next(u for u in _links(smtp_sink.messages[0]) if "/mail/unsubscribe/" in u)
    page = client.get_text(link.replace("http://localhost", ""))
    action = re.search(r'<form method="post" action="([^"]+)"', page).group(1)
    assert client.raw.post(action).status_code == 200
    assert _subscribers(session) == []


def test_rate_limits_per_address_and_per_client(app, client, session, campaign, smtp_sink):
    app.config["SMTP_URL"] = smtp_sink.url
    answers = {_answer(_subscribe(client, "victim@example.com")) for _ in range(4)}
    assert len(answers) == 1  # the fourth is answered alike, but sends nothing
    run_jobs(app)
    assert smtp_sink.recipients.count("victim@example.com") == 3
    for number in range(6):
        assert _subscribe(client, f"person{number}@example.com").status_code == 200
    too_many = _subscribe(client, "one-more@example.com")
    assert too_many.status_code == 429 and "try again later" in too_many.get_data(as_text=True)
    other_client = _subscribe(
        client, "one-more@example.com", environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert other_client.status_code == 200


def test_tracker_report_publish_queues_the_report_to_confirmed_subscribers_only(
    app, cli, session, campaign, tmp_path
):
    for address, state, receives in (
        ("reader@example.com", "confirmed", "reports"),
        ("both@example.com", "confirmed", "both"),
        ("digest@example.com", "confirmed", "digest"),
        ("waiting@example.com", "pending", "both"),
    ):
        session.add(
            Subscriber(
                campaign_id=campaign.id, address=address, language="en", receives=receives,
                state=state,
            )
        )  # fmt: skip
    session.commit()
    result = cli("report", "synth", "--period", "2026-11", "-o", tmp_path / "r.pdf", "--publish")
    assert result.exit_code == 0, result.output
    assert "published as version 1" in result.output
    assert "e-mail queued to 2 subscribers" in result.output
    rows = session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [(row.kind, row.recipient) for row in rows] == [
        ("report", "reader@example.com"),
        ("report", "both@example.com"),
    ]
