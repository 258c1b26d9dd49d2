"""The job queue: a Huey instance on a SQLite file (the default) or on PostgreSQL.

The one module that speaks to Huey's storage. A SQLite file needs no server and serves
one worker process (several threads); PostgreSQL lets any number of workers on any
number of machines share one queue: each job is taken by one worker only (Huey dequeues
with DELETE ... FOR UPDATE SKIP LOCKED and wakes idle workers with LISTEN/NOTIFY).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

if TYPE_CHECKING:
    from huey import Huey

SCHEMES = ("sqlite", "postgresql")
QUEUE_NAME = "tracker"
# Huey's own tables in a PostgreSQL queue database: not ours, never in our migrations
# (migrations/env.py leaves names with this prefix alone).
TABLE_PREFIX = "tracker_queue"
# How long an idle worker waits before it looks at a SQLite queue again (PostgreSQL
# wakes it at once): a Poll now waits at most this long for a free worker.
SQLITE_POLL_SECONDS = 0.5


class QueueUnavailable(Exception):
    """The queue could not take a job (its storage failed); the message says why."""


def default_queue_url(database_url: str, instance_path: str) -> str:
    """Return a SQLite file beside a SQLite database, else one in the instance folder."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        database = Path(url.database)
        return f"sqlite:///{database.with_name(database.stem + '-queue.sqlite3')}"
    return f"sqlite:///{Path(instance_path) / 'queue.sqlite3'}"


def check_queue_url(url: str) -> str:
    """Return the queue URL's scheme; ValueError for one the queue cannot use."""
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        backend = None
    if backend not in SCHEMES or (backend == "sqlite" and not make_url(url).database):
        raise ValueError(
            f"TRACKER_QUEUE_URL {url!r}: use sqlite:///path/to/queue.sqlite3 or "
            "postgresql://user:password@host/database"
        )
    return backend


def make_huey(url: str, *, name: str = QUEUE_NAME) -> Huey:
    """Create the Huey instance for the queue at url (tables made if missing)."""
    # Huey is imported when a job is queued or a worker starts, not with the app.
    from huey import PostgresHuey, SqliteHuey

    backend = check_queue_url(url)
    parsed = make_url(url)
    # Results are never read back: jobs write what they did to our own tables.
    if backend == "sqlite":
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name, results=False, filename=parsed.database, timeout=10)
    dsn = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    return PostgresHuey(name, results=False, dsn=dsn, table_prefix=TABLE_PREFIX)


def idle_wait(url: str) -> float:
    """Return the longest pause of an idle worker between looks at the queue."""
    return SQLITE_POLL_SECONDS if check_queue_url(url) == "sqlite" else 2.0
