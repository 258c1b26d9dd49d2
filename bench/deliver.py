"""Mail delivery: a report's e-mail to 10,000 confirmed subscribers into a local SMTP sink,
against smtplib sending the same 10,000 prepared messages in one loop, in the same run.

    .venv/bin/python bench/deliver.py [--subscribers 10000] [--threads 1]

Both go to one aiosmtpd sink on 127.0.0.1, in its own process, that counts what it
accepts. The baseline builds the very messages the worker sends (its own database with the
same subscribers and report, composed and built as the worker does; not timed), then sends
them over one smtplib connection. The tracker's run is timed from publishing (the INSERT
... SELECT that queues the report to every subscriber) until the sink accepted the last
message, through the worker's own job (`mail.deliver`, in --threads threads as a worker
with that many threads would run the queued jobs): claim, compose (a batch's subscribers
in one query, the unsubscribe link per subscriber), each message filled into its letter's
skeleton, one commit per message around each SMTP transaction. Then the same delivery of
1/10 and all of the subscribers again under tracemalloc, for the peak Python memory: it
should not grow with the number of subscribers. Target (issue 15): >= 0.5 x the baseline's
rate.
"""

from __future__ import annotations

import argparse
import asyncio  # noqa: F401  (aiosmtpd's loop)
import multiprocessing
import smtplib
import sys
import tempfile
import threading
import time
import tracemalloc
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aiosmtpd.controller import Controller

from tests.smtp_sink import free_port

TARGET = 0.5


class CountingSink:
    """An SMTP server in its own process that only counts what it accepts and when.

    Its own process: in the sender's, the sink's event loop took the GIL from the worker
    (database, composing) far more than from the baseline's bare loop, which skewed the ratio.
    """

    def __init__(self) -> None:
        self.port = free_port()
        self._count = multiprocessing.Value("l", 0)
        self._expected = multiprocessing.Value("l", 0)
        self._last = multiprocessing.Value("d", 0.0)  # perf_counter: CLOCK_MONOTONIC, shared
        self.done = multiprocessing.Event()
        self._ready = multiprocessing.Event()
        self._stop = multiprocessing.Event()
        self.process = multiprocessing.Process(target=self._serve, daemon=True)

    @property
    def last(self) -> float:
        return self._last.value

    @property
    def count(self) -> int:
        return self._count.value

    def start(self) -> None:
        self.process.start()
        assert self._ready.wait(60), "the sink did not start"

    def stop(self) -> None:
        self._stop.set()
        self.process.join(30)

    def _serve(self) -> None:
        controller = Controller(self, hostname="127.0.0.1", port=self.port)
        controller.start()
        self._ready.set()
        self._stop.wait()
        controller.stop()

    async def handle_DATA(self, server, session, envelope):
        with self._count.get_lock():
            self._count.value += 1
            self._last.value = time.perf_counter()
            if self._count.value >= self._expected.value:
                self.done.set()
        return "250 2.0.0 accepted"

    def expect(self, count: int) -> None:
        with self._count.get_lock():
            self._count.value, self._expected.value = 0, count
            self.done.clear()


def make_app(folder: Path, smtp_url: str, subscribers: int):
    """Migrate a SQLite database with a campaign, its subscribers and one published report."""
    from sqlalchemy import insert
    from sqlmodel import Session

    from tracker import create_app
    from tracker.accounts.users import create_user
    from tracker.db import make_engine
    from tracker.models import Campaign, Subscriber
    from tracker.schema import upgrade

    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'tracker.sqlite3'}"
    upgrade(make_engine(url))
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "DATABASE_URL": url,
            "PUBLIC_URL": "https://tracker.example",
            "QUEUE_URL": f"sqlite:///{folder / 'queue.sqlite3'}",
            "SMTP_URL": smtp_url,
            "MAIL_FROM": "Synth <news@synth.example>",
        }
    )
    engine = app.extensions["tracker.engine"]
    with Session(engine) as session:
        owner = create_user(
            session,
            email="founder@example.com",
            password="bench-password-1",  # noqa: S106 (a throwaway database's founder)
        )
        campaign = Campaign(
            slug="synth", title="Synth", goal_minor=5_000_000, currency="EUR",
            starts_on=date(2026, 11, 1), ends_on=date(2026, 12, 15), is_public=True,
            owner_id=owner.id,
        )  # fmt: skip
        session.add(campaign)
        session.flush()
        now = datetime.now(UTC)
        session.execute(
            insert(Subscriber),
            [
                {
                    "campaign_id": campaign.id, "address": f"backer{n:05d}@example.com",
                    "language": "de" if n % 4 == 0 else "en", "receives": "both",
                    "state": "confirmed", "created_at": now, "confirmed_at": now,
                }
                for n in range(subscribers)
            ],
        )  # fmt: skip
        session.commit()
    return app


def publish(app, number: int):
    """Store a published report and return it (the PDF's bytes are a stand-in)."""
    from sqlmodel import Session

    from tracker.models import PublishedReport

    with Session(app.extensions["tracker.engine"], expire_on_commit=False) as session:
        report = PublishedReport(
            campaign_id=1, version=number, title=f"November 2026 ({number})",
            period_start=date(2026, 11, 1), period_end=date(2026, 11, 30), language="en",
            sha256="0" * 64, size=9, pages=3, pdf=b"%PDF-1.7\n", published_label="bench",
        )  # fmt: skip
        session.add(report)
        session.commit()
        return report


def deliver_report(app, report, threads: int) -> int:
    """Queue the report to every subscriber and run the worker's delivery job; return count."""
    from sqlmodel import Session

    from tracker.jobs.mail import deliver
    from tracker.mail.subscribers import queue_report_mail

    with Session(app.extensions["tracker.engine"]) as session:
        queued = queue_report_mail(session, report)
        session.commit()
    context = app.extensions["tracker.jobs"].context
    workers = [threading.Thread(target=deliver, args=(context,)) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return queued


def baseline(sink: CountingSink, app, subscribers: int) -> float:
    """Send the tracker's own messages of a report, prepared first, with smtplib in one loop."""
    # The same messages as the worker's (each reader's language and unsubscribe link, the
    # report's real text): a shorter stand-in letter made the sink's share of the
    # baseline, which reads each message line by line, half of the tracker's.
    prepared = prepare_messages(app, publish(app, 1))
    assert len(prepared) == subscribers
    sink.expect(subscribers)
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", sink.port) as smtp:
        for recipient, data in prepared:
            smtp.sendmail("news@synth.example", [recipient], data)
    sink.done.wait(600)
    return sink.last - started


def prepare_messages(app, report) -> list[tuple[str, bytes]]:
    """Return the report's messages as the worker builds them, without sending or storing."""
    from sqlalchemy import select
    from sqlmodel import Session

    from tracker.jobs.mail import delivery_rules, report_composer
    from tracker.mail.messages import build_message, message_id
    from tracker.mail.subscribers import queue_report_mail
    from tracker.models import OutboxMessage

    engine, context = app.extensions["tracker.engine"], app.extensions["tracker.jobs"].context
    rules, now = delivery_rules(app.config), datetime.now(UTC)
    with Session(engine, expire_on_commit=False) as session:
        queue_report_mail(session, report)
        session.flush()
        table = OutboxMessage.__table__
        rows = session.execute(select(table).order_by(table.c.id)).all()
        session.rollback()  # the baseline's own messages: the outbox stays empty
        letters = report_composer(context, session)(rows)
    return [
        (
            row.recipient,
            build_message(
                letters(row),
                sender=rules.sender,
                recipient=row.recipient,
                message_id=message_id(row.id, rules.id_domain),
                date=now,
            ),
        )
        for row in rows
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--threads", type=int, default=1)
    options = parser.parse_args()
    count = options.subscribers
    sink = CountingSink()
    sink.start()
    try:
        with tempfile.TemporaryDirectory() as folder:
            app = make_app(Path(folder), f"smtp://127.0.0.1:{sink.port}", count)
            base = baseline(sink, make_app(Path(folder) / "baseline", sink_url(sink), count), count)

            sink.expect(count)
            started = time.perf_counter()
            queued = deliver_report(app, publish(app, 1), options.threads)
            assert sink.done.wait(600) and queued == count, (queued, sink.count)
            ours = sink.last - started

            peaks = {}
            for size in (count // 10, count):
                small = make_app(Path(folder) / f"m{size}", sink_url(sink), size)
                sink.expect(size)
                tracemalloc.start()
                deliver_report(small, publish(small, 1), options.threads)
                peaks[size] = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
    finally:
        sink.stop()

    ratio = (count / ours) / (count / base)
    print(f"baseline  smtplib loop, the same {count} messages prepared: {count / base:7.0f} msg/s, "
          f"last accepted after {base:.2f} s")  # fmt: skip
    print(f"tracker   publish -> outbox -> worker ({options.threads} thread): "
          f"{count / ours:7.0f} msg/s, last accepted after {ours:.2f} s "
          f"({ratio:.2f} x baseline, target >= {TARGET})")  # fmt: skip
    small, large = count // 10, count
    print(f"peak Python memory while delivering: {peaks[small] / 1e6:.1f} MB for {small}, "
          f"{peaks[large] / 1e6:.1f} MB for {large} subscribers")  # fmt: skip
    return 0 if ratio >= TARGET else 1


def sink_url(sink: CountingSink) -> str:
    return f"smtp://127.0.0.1:{sink.port}"


if __name__ == "__main__":
    sys.exit(main())
