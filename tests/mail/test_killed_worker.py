"""A worker SIGKILLed in the middle of a batch, then restarted, sends each message once."""

import signal

from sqlmodel import select

from tests.worker import TRACKER, Worker, running_worker, wait_for, worker_env
from tracker.mail.messages import Letter
from tracker.mail.outbox import queue_letter
from tracker.models import OutboxMessage, utcnow

COUNT = 30


def test_a_worker_killed_mid_batch_and_restarted_sends_each_message_exactly_once(
    app, session, smtp_sink
):
    recipients = [f"backer{number:02d}@example.com" for number in range(COUNT)]
    for address in recipients:
        letter = Letter(subject=f"To {address}", text="News.")
        queue_letter(session, recipient=address, kind="test", letter=letter)
    session.commit()
    env = {
        "TRACKER_SMTP_URL": smtp_sink.url,
        "TRACKER_MAIL_BATCH_SIZE": "10",
        "TRACKER_MAIL_LEASE_SECONDS": "2",
    }
    smtp_sink.hold(12)  # the 12th message waits for the server's reply: the batch is mid-way
    # One thread: the kill falls where this test says, not in another thread's window.
    first = Worker([str(TRACKER), "worker", "--threads", "1"], worker_env(app, **env))
    first.wait_started()
    app.extensions["tracker.jobs"].enqueue("mail.deliver")
    assert smtp_sink.holding.wait(60), first.output
    first.stop(signal.SIGKILL)
    smtp_sink.release.set()  # its reply goes to a closed connection: not accepted
    assert first.returncode == -signal.SIGKILL
    assert len(smtp_sink.recipients) == 11

    def rows():
        session.expire_all()
        return session.exec(select(OutboxMessage).order_by(OutboxMessage.id)).all()

    states = [row.state for row in rows()]
    assert states.count("sent") == 11 and states.count("sending") == 1
    leases = [row.lease_until for row in rows() if row.lease_until]
    wait_for(lambda: utcnow() > max(leases), what="the dead worker's claims expire")

    with running_worker(app, **env) as second:
        app.extensions["tracker.jobs"].enqueue("mail.deliver")
        wait_for(lambda: all(row.state == "sent" for row in rows()), what=second.output)

    assert sorted(smtp_sink.recipients) == recipients  # each exactly once
    ids = [message["Message-ID"] for message in smtp_sink.messages]
    assert len(set(ids)) == COUNT
