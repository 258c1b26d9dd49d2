"""A job may ask to be retried: `@job(name, retries=n, retry_delay=seconds)` (#15)."""

from datetime import UTC, datetime, timedelta

from tracker.jobs.registry import job
from tracker.jobs.worker import run_once

CALLS: list[str] = []


@job("tests.fails_twice", retries=3, retry_delay=60)
def fails_twice(context, label: str) -> None:
    """Fail on the first two calls, then succeed."""
    CALLS.append(label)
    if len(CALLS) <= 2:
        raise RuntimeError("not yet")


@job("tests.always_fails", retries=1)
def always_fails(context, label: str) -> None:
    """Fail every time."""
    CALLS.append(label)
    raise RuntimeError("never")


def test_a_failed_job_is_retried_after_its_delay(app):
    CALLS.clear()
    queue = app.extensions["tracker.jobs"]
    queue.enqueue("tests.fails_twice", "a")
    # (each run also does the periodic jobs due: the feed poll and the webhooks' look)
    run_once(queue)
    assert CALLS == ["a"]
    run_once(queue)
    assert CALLS == ["a"]  # the retry waits its 60 seconds
    later = datetime.now(UTC) + timedelta(seconds=61)
    run_once(queue, now=later)
    assert CALLS == ["a", "a"]
    run_once(queue, now=later + timedelta(seconds=61))
    assert CALLS == ["a"] * 3
    run_once(queue, now=later + timedelta(seconds=200))
    assert CALLS == ["a"] * 3  # it succeeded: no more tries
    assert queue.huey.pending_count() == 0 and queue.huey.scheduled_count() == 0


def test_retries_without_a_delay_run_at_once_and_stop_at_the_limit(app):
    CALLS.clear()
    queue = app.extensions["tracker.jobs"]
    queue.enqueue("tests.always_fails", "b")
    run_once(queue)
    assert CALLS == ["b", "b"]  # the job and its one retry
    assert queue.huey.pending_count() == 0 and queue.huey.scheduled_count() == 0
