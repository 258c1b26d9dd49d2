"""A report's e-mail carries the published PDF when the campaign asks for it (off by default)."""

import logging
from datetime import date

from tests.campaigns.test_page_settings import FORM
from tests.worker import run_jobs
from tracker.export import export_campaign
from tracker.mail.subscribers import queue_report_mail
from tracker.models import Campaign, PublishedReport, Subscriber, utcnow

PDF = b"%PDF-1.7\n% the stored bytes, never rendered again\n%%EOF\n"


def _publish(session, campaign, pdf=PDF) -> int:
    session.add(
        Subscriber(
            campaign_id=campaign.id, address="backer@example.com", language="en",
            receives="reports", state="confirmed", confirmed_at=utcnow(),
        )
    )  # fmt: skip
    report = PublishedReport(
        campaign_id=campaign.id, version=3, title="November 2026", period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30), language="en", sha256="0" * 64, size=len(pdf), pages=1,
        pdf=pdf, published_label="test",
    )  # fmt: skip
    session.add(report)
    session.flush()
    queued = queue_report_mail(session, report)
    session.commit()
    return queued


def _parts(message) -> tuple[str, str]:
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "/c/synth/reports/3.pdf" in text and "/c/synth/reports/3.pdf" in html
    return text, html


def test_the_report_mail_carries_the_stored_pdf_when_the_campaign_asks(
    app, cli, session, campaign, smtp_sink
):
    app.config["SMTP_URL"] = smtp_sink.url
    result = cli("campaigns", "set", "synth", "--attach-report-pdf", "on")
    assert result.exit_code == 0, result.output
    assert _publish(session, campaign) == 1
    run_jobs(app)

    (message,) = smtp_sink.messages
    assert message.get_content_type() == "multipart/mixed"
    _parts(message)
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == "synth-report-v3.pdf"
    assert attachment.get_content() == PDF


def test_without_the_setting_the_report_mail_has_no_attachment(app, session, campaign, smtp_sink):
    app.config["SMTP_URL"] = smtp_sink.url
    assert campaign.attach_report_pdf is False  # off by default
    assert _publish(session, campaign) == 1
    run_jobs(app)

    (message,) = smtp_sink.messages
    assert message.get_content_type() == "multipart/alternative"
    _parts(message)
    assert list(message.iter_attachments()) == []


def test_a_pdf_over_10_mb_is_linked_not_attached_with_a_note_in_the_log(
    app, session, campaign, smtp_sink, caplog
):
    app.config["SMTP_URL"] = smtp_sink.url
    campaign.attach_report_pdf = True
    big = b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024)
    assert _publish(session, campaign, pdf=big) == 1
    with caplog.at_level(logging.INFO, logger="tracker.jobs.mail"):
        run_jobs(app)

    (message,) = smtp_sink.messages
    _parts(message)
    assert list(message.iter_attachments()) == []
    assert "synth-report-v3.pdf not attached" in caplog.text


def test_the_form_and_the_export_hold_the_setting(client, session, founder, campaign, cli):
    off = cli("campaigns", "set", "synth", "--attach-report-pdf", "maybe")
    assert off.exit_code != 0 and "maybe" in off.output
    page = client.get_text("/dashboard/synth/edit")
    assert 'name="attach_report_pdf"' in page
    response = client.post("/dashboard/synth/edit", {**FORM, "attach_report_pdf": "y"})
    assert response.status_code == 303
    session.expire_all()
    campaign = session.get(Campaign, campaign.id)
    assert campaign.attach_report_pdf is True
    assert export_campaign(session, campaign)["campaign"]["attach_report_pdf"] is True
