"""Run `tracker worker` as a real process on a test app's database and queue.

with running_worker(app) as worker:
    ...                               # jobs queued now are done by the worker
    wait_for(lambda: condition())     # a condition, never a sleep
assert worker.returncode == 0         # stopped by SIGTERM, gracefully
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

TRACKER = Path(sys.executable).parent / "tracker"
START_SECONDS = 60  # a loaded CI machine imports the app slowly


def worker_env(app, **extra: str) -> dict[str, str]:
    """Return an environment in which `tracker` uses the app's database, queue and feeds rule."""
    return {
        **os.environ,
        "TRACKER_DATABASE_URL": app.config["DATABASE_URL"],
        "TRACKER_QUEUE_URL": app.config["QUEUE_URL"],
        "TRACKER_ALLOW_PRIVATE_FEEDS": json.dumps(bool(app.config.get("ALLOW_PRIVATE_FEEDS"))),
        **extra,
    }


class Worker:
    """A `tracker worker` process and what it printed on stderr."""

    def __init__(self, command: list, env: dict[str, str], **popen) -> None:
        self.process = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **popen
        )
        self.lines: list[str] = []
        self.started = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)
            if "worker started" in line:  # alone, or after honcho's prefix
                self.started.set()
        self.started.set()  # it exited: wait_started says so

    def wait_started(self) -> None:
        self.started.wait(START_SECONDS)
        assert self.process.poll() is None, "".join(self.lines)
        assert self.started.is_set(), "".join(self.lines)

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        """Send sig, wait for the exit and return its code."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.wait(timeout)

    def wait(self, timeout: float = 60) -> int:
        """Wait for the exit (killing it past timeout) and return its code."""
        try:
            self.process.wait(timeout)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self._reader.join(10)
        return self.process.returncode

    @property
    def output(self) -> str:
        return "".join(self.lines)

    @property
    def returncode(self) -> int | None:
        return self.process.returncode


@contextmanager
def running_worker(app, *args: str, **env: str) -> Iterator[Worker]:
    """Start `tracker worker ARGS` on the app's database and queue; SIGTERM it at the end."""
    worker = Worker([str(TRACKER), "worker", *args], worker_env(app, **env))
    try:
        worker.wait_started()
        yield worker
    finally:
        worker.stop()


def wait_for(condition: Callable[[], object], timeout: float = 30, what: str = "") -> object:
    """Return condition()'s first true value, checking every 50 ms; fail after timeout."""
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while True:
        value = condition()
        if value:
            return value
        assert time.monotonic() < deadline, f"not reached within {timeout} s: {what}"
        pause.wait(0.05)


def run_jobs(app) -> str:
    """Run `tracker worker --once` in the app (every queued job, then exit); return its output."""
    from tracker.cli import main

    result = app.test_cli_runner().invoke(main, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    return result.output


def use_queue(app, url: str):
    """Give the app (and workers started for it) the queue at url, emptied; return it."""
    from tracker.jobs import JobQueue

    app.config["QUEUE_URL"] = url
    known = app.extensions["tracker.jobs"].context.absolute_url
    queue = JobQueue(
        url,
        engine=app.extensions["tracker.engine"],
        config=app.config,
        absolute_url=known,
        app_context=app.app_context,
    )
    app.extensions["tracker.jobs"] = queue
    queue.huey.flush()  # the test schema outlives one test: no job of an earlier one
    return queue
