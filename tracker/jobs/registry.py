"""Jobs by name, and the app's queue that binds them to Huey on first use.

An area adds background work by writing a function that takes a `JobContext` and plain
arguments (ids, strings), decorating it with `@job("area.what")` or
`@periodic("area.what", minute="*")`, and naming its module in JOB_MODULES. The web
or the command line queues it with `queue.enqueue("area.what", *args)`; the function
opens its own Session on `context.engine` and commits what it did. A job that raises is
run again when it asks for it: `@job("area.what", retries=3, retry_delay=60)`.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from tracker.jobs.queue import QUEUE_NAME, QueueUnavailable, make_huey

if TYPE_CHECKING:
    from huey import Huey

log = logging.getLogger(__name__)
# The modules whose @job and @periodic functions every queue knows.
JOB_MODULES = (
    "tracker.jobs.feeds",
    "tracker.jobs.webhooks",
    "tracker.jobs.mail",
    "tracker.jobs.team_mail",
    "tracker.jobs.digests",
    "tracker.jobs.videos",
)


@dataclass(frozen=True)
class JobContext:
    """What a job may use: the database, the settings, the queue, the stop request."""

    engine: Engine
    config: Mapping[str, Any]
    enqueue: Callable[..., None]
    # absolute_url(endpoint, **values): a page's address at the configured public URL.
    absolute_url: Callable[..., str] | None = None
    # Set when the worker is asked to stop: long jobs stop taking more work and return.
    stop: threading.Event = field(default_factory=threading.Event)
    # The app's context, for jobs that render templates or build URLs (e-mails).
    app_context: Callable[[], AbstractContextManager] = nullcontext


@dataclass(frozen=True)
class JobSpec:
    """A job's name, its function, its retries and, for periodic jobs, its crontab fields."""

    name: str
    function: Callable[..., Any]
    schedule: Mapping[str, str] | None = None
    retries: int = 0  # how often Huey runs the job again after it raised
    retry_delay: int = 0  # seconds before each retry (0: queued again at once)


JOBS: dict[str, JobSpec] = {}
# Called by every worker when it starts and at each health check (tracker/jobs/worker.py).
CHECKS: dict[str, Callable[[JobContext], None]] = {}


def _register(spec: JobSpec) -> None:
    known = JOBS.get(spec.name)
    if known is not None and known.function is not spec.function:
        raise ValueError(f"two jobs are named {spec.name!r}")
    JOBS[spec.name] = spec


def job(name: str, *, retries: int = 0, retry_delay: int = 0) -> Callable:
    """Register the decorated function as the job `name`, run when queued."""

    def decorate(function: Callable) -> Callable:
        _register(JobSpec(name, function, None, retries, retry_delay))
        return function

    return decorate


def periodic(name: str, *, retries: int = 0, retry_delay: int = 0, **crontab: str) -> Callable:
    """Register the decorated function as the job `name`, queued by the worker on schedule."""

    def decorate(function: Callable) -> Callable:
        _register(JobSpec(name, function, crontab, retries, retry_delay))
        return function

    return decorate


def worker_check(name: str) -> Callable:
    """Register the decorated function to run when a worker starts and every few seconds:
    for releasing what workers that were killed left claimed."""

    def decorate(function: Callable) -> Callable:
        CHECKS[name] = function
        return function

    return decorate


def load_jobs() -> dict[str, JobSpec]:
    """Import every module of JOB_MODULES and return the jobs they register."""
    for module in JOB_MODULES:
        importlib.import_module(module)
    return JOBS


class JobQueue:
    """The queue at `url` with every registered job; Huey is created on first use."""

    def __init__(
        self,
        url: str,
        *,
        engine: Engine,
        config: Mapping[str, Any],
        name=QUEUE_NAME,
        absolute_url: Callable[..., str] | None = None,
        app_context: Callable[[], AbstractContextManager] = nullcontext,
    ):
        self.url = url
        self.name = name
        self.context = JobContext(
            engine=engine,
            config=config,
            enqueue=self.enqueue,
            absolute_url=absolute_url,
            app_context=app_context,
        )
        self._huey: Huey | None = None
        self._tasks: dict[str, Any] = {}
        self._lock = threading.Lock()

    @property
    def stop(self) -> threading.Event:
        return self.context.stop

    @property
    def huey(self) -> Huey:
        """Return the Huey instance, created with every job bound on first use."""
        with self._lock:
            if self._huey is None:
                huey = make_huey(self.url, name=self.name)
                self._tasks = {name: self._bind(huey, spec) for name, spec in load_jobs().items()}
                self._huey = huey
            return self._huey

    def _bind(self, huey: Huey, spec: JobSpec):
        from huey import crontab  # with Huey itself, on first use

        context = self.context

        def run(*args):
            return spec.function(context, *args)

        run.__module__, run.__doc__ = "tracker.jobs", spec.function.__doc__
        retry = {"retries": spec.retries, "retry_delay": spec.retry_delay}
        if spec.schedule is None:
            return huey.task(name=spec.name, **retry)(run)
        return huey.periodic_task(crontab(**spec.schedule), name=spec.name, **retry)(run)

    def run_checks(self) -> None:
        """Run every registered worker check; one that fails is logged, the worker goes on."""
        load_jobs()
        for name, check in CHECKS.items():
            try:
                check(self.context)
            except Exception:  # a database that is away for a moment: the next check retries
                log.exception("worker check %s failed", name)

    def enqueue(self, name: str, *args) -> None:
        """Queue the job `name` with args; QueueUnavailable when the queue cannot take it."""
        try:
            huey = self.huey
        except Exception as error:  # a queue file that cannot be made, a server not there
            raise QueueUnavailable(_first_line(error)) from error
        task = self._tasks[name]  # KeyError: no such job, a bug of the caller
        try:
            huey.enqueue(task.s(*args))
        except Exception as error:  # sqlite3 or psycopg errors: the storage is unreachable
            raise QueueUnavailable(_first_line(error)) from error

    def close(self) -> None:
        """Close the queue's storage connection, if one was opened."""
        with self._lock:
            if self._huey is not None:
                self._huey.storage.close()


def _first_line(error: Exception) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__
