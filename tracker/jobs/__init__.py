"""Background jobs: the queue from TRACKER_QUEUE_URL, the jobs, `tracker worker` runs them.

No web request waits on a remote server: the web queues a job and returns, a worker
process does it (tracker/jobs/worker.py). Jobs live in tracker/jobs/<area>.py.
"""

import functools

from flask import Flask, current_app

from tracker.jobs.queue import QueueUnavailable, check_queue_url, default_queue_url
from tracker.jobs.registry import JobQueue

__all__ = ["JobQueue", "QueueUnavailable", "enqueue", "get_queue", "init_app"]


def init_app(app: Flask) -> None:
    """Create the app's queue from QUEUE_URL (default: a SQLite file); Huey waits for use."""
    url = app.config.get("QUEUE_URL") or default_queue_url(
        app.config["DATABASE_URL"], app.instance_path
    )
    check_queue_url(url)
    app.config["QUEUE_URL"] = url
    engine = app.extensions["tracker.engine"]
    app.extensions["tracker.jobs"] = JobQueue(
        url,
        engine=engine,
        config=app.config,
        absolute_url=functools.partial(_absolute_url, app),
        app_context=app.app_context,
    )


def _absolute_url(app: Flask, endpoint: str, **values) -> str:
    # Jobs run outside any request; the app's URL map and PUBLIC_URL build the address.
    from tracker.views.absolute_urls import absolute_url

    with app.app_context():
        return absolute_url(endpoint, **values)


def get_queue() -> JobQueue:
    """Return the current app's queue."""
    return current_app.extensions["tracker.jobs"]


def enqueue(name: str, *args) -> None:
    """Queue the job `name` on the current app's queue (QueueUnavailable if it cannot)."""
    get_queue().enqueue(name, *args)
