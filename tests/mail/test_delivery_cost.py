"""A report's e-mail to many subscribers costs a few statements per message, not queries."""

from datetime import date

from sqlalchemy import event
from sqlmodel import select

from tests.worker import run_jobs
from tracker.mail.subscribers import queue_report_mail
from tracker.models import OutboxMessage, PublishedReport, Subscriber

COUNT = 12


def test_a_batch_loads_its_subscribers_once_and_each_message_is_sent_once(
    app, session, campaign, smtp_sink
):
    app.config.update(SMTP_URL=smtp_sink.url, MAIL_BATCH_SIZE=5)
    for number in range(COUNT):
        session.add(
            Subscriber(
                campaign_id=campaign.id, address=f"b{number:02d}@example.com",
                language="de" if number % 3 == 0 else "en", receives="both", state="confirmed",
            )
        )  # fmt: skip
    report = PublishedReport(
        campaign_id=campaign.id, version=1, title="November 2026", period_start=date(2026, 11, 1),
        period_end=date(2026, 11, 30), language="en", sha256="0" * 64, size=9, pages=3,
        pdf=b"%PDF-1.7\n", published_label="test",
    )  # fmt: skip
    session.add(report)
    session.flush()
    assert queue_report_mail(session, report) == COUNT
    session.commit()
    statements: list[str] = []
    engine = app.extensions["tracker.engine"]

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        app.extensions["tracker.jobs"].enqueue("mail.deliver")
        run_jobs(app)
    finally:
        event.remove(engine, "before_cursor_execute", record)

    assert sorted(smtp_sink.recipients) == [f"b{n:02d}@example.com" for n in range(COUNT)]
    session.expire_all()
    assert {row.state for row in session.exec(select(OutboxMessage))} == {"sent"}
    # Reads of subscribers by id (the minutely purge of stale sign-ups is another query).
    by_id = [s for s in statements if "FROM subscribers" in s and "WHERE subscribers.id" in s]
    assert len(by_id) <= 3  # one per batch of 5, not one per message
    # Per message: its outcome and the next one's start; plus a few per batch and job.
    assert len(statements) <= 2 * COUNT + 40, len(statements)
