"""Run queued and periodic jobs: as a long-lived worker, or once for cron and scripts."""

from __future__ import annotations

import signal
from collections.abc import Callable
from datetime import UTC, datetime

from tracker.jobs.queue import idle_wait
from tracker.jobs.registry import JobQueue

# A worker thread that died is replaced this often, and the worker checks (registry.CHECKS)
# run: a job of a worker killed on this host stops showing "running" within this time.
HEALTH_CHECK_SECONDS = 10.0


def run_once(queue: JobQueue, *, now: datetime | None = None) -> int:
    """Queue the periodic jobs due this minute, run every job that is due; return how many."""
    huey = queue.huey
    queue.run_checks()
    # Huey keeps naive UTC timestamps; a crontab matches the minute `now` falls in.
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(tzinfo=None)
    for task in [*huey.read_periodic(moment), *huey.read_schedule(moment)]:
        huey.enqueue(task)
    done = 0
    while not queue.stop.is_set() and huey.pending_count():
        task = huey.dequeue()
        if task is None:  # another worker took the last one
            break
        huey.execute(task, moment)  # a retry waiting for its eta runs once `now` passes it
        done += 1
    return done


def run_worker(queue: JobQueue, *, threads: int, say: Callable[[str], None]) -> None:
    """Run jobs with `threads` threads until SIGTERM or SIGINT, then finish those running."""
    huey = queue.huey
    consumer = huey.create_consumer(
        workers=threads,
        worker_type="thread",
        periodic=True,
        initial_delay=0.1,
        max_delay=idle_wait(queue.url),
        check_worker_health=False,  # checked below, from this loop
    )
    queue.run_checks()  # before any job: what a killed worker left running is released
    consumer.start()
    # Installed after start(), which sets Huey's own: ours make both signals graceful.
    previous = {
        sig: signal.signal(sig, _stopper(queue, say)) for sig in (signal.SIGTERM, signal.SIGINT)
    }
    say(
        f"worker started: {threads} threads on {queue.url.split(':', 1)[0]} queue; "
        "SIGTERM or Ctrl-C stops it"
    )
    try:
        while not queue.stop.wait(HEALTH_CHECK_SECONDS):
            consumer.check_worker_health()
            queue.run_checks()
        consumer.stop(graceful=True)  # a second signal interrupts the jobs still running
        huey.notify_interrupted_tasks()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    say("worker stopped")


def _stopper(queue: JobQueue, say: Callable[[str], None]):
    def request_stop(signum, _frame):
        say(
            f"stopping after the jobs in progress ({signal.Signals(signum).name}); "
            "send it again to stop at once"
        )
        queue.stop.set()
        signal.signal(signum, signal.default_int_handler)

    return request_stop
