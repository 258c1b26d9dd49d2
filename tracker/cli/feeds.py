"""`tracker feeds`: poll the channels that are due; the other feed commands are in
tracker.cli.channels, imported when one of them runs or is listed.

A cron job runs `tracker feeds poll` every few minutes: it needs the configuration and
the database, not the views, and most runs find nothing due or only feeds that did not
change. So this module imports little, the poll runs in an app without views
(tracker.cli.database_app), a run with nothing due asks in SQLAlchemy Core
(tracker.feeds.claims) and ends there, and the poller loads the ORM, the models and the
parser only for a feed that changed (tracker.feeds.poller).
"""

import importlib
import signal
import sys
import threading
import time
from datetime import UTC, datetime

import click
from flask import Flask, current_app
from flask.cli import ScriptInfo

from tracker.cli import database_app
from tracker.db import get_engine
from tracker.feeds.claims import count_due
from tracker.feeds.fetch_policy import fetch_policy
from tracker.feeds.poll_outcomes import PollSummary
from tracker.feeds.poller import poll_due, run_poller


class FeedsGroup(click.Group):
    """`tracker feeds`: `poll` is here, the other commands load with tracker.cli.channels."""

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands:
            importlib.import_module("tracker.cli.channels")  # adds its commands to this group
        return super().get_command(ctx, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        importlib.import_module("tracker.cli.channels")
        return super().list_commands(ctx)


@click.group("feeds", cls=FeedsGroup, help="Follow a campaign's feeds and poll them.")
def feeds_group():
    pass


@feeds_group.command(
    "poll",
    help="Poll the channels that are due, then print a one-line summary (cron-friendly). "
    "Several pollers may run at once on PostgreSQL (each claims channels with FOR UPDATE "
    "SKIP LOCKED); on SQLite run one poller only.",
)
@click.option("--workers", type=click.IntRange(1, 64), default=None, help="Parallel fetches.")
@click.option("--loop", is_flag=True, help="Keep polling until SIGTERM or Ctrl-C.")
@click.pass_obj
def poll_command(info: ScriptInfo, workers, loop):
    """Poll what is due."""
    app = current_app._get_current_object() if current_app else database_app(info)
    with app.app_context():
        _poll(app, workers, loop)


def _poll(app: Flask, workers: int | None, loop: bool) -> None:
    engine = get_engine()
    policy = fetch_policy(app.config)
    workers = workers or int(app.config.get("FEED_POLL_WORKERS", 4))
    if loop:
        _loop(engine, policy, workers)
        return
    started = time.monotonic()
    with engine.connect() as connection:  # closed before the workers poll
        due = count_due(connection, now=datetime.now(UTC))
    if not due:
        click.echo(PollSummary().line(time.monotonic() - started))
        return
    with click.progressbar(length=due, label="polling", file=sys.stderr) as bar:
        summary = poll_due(
            engine, policy=policy, workers=workers, on_polled=lambda _outcome: bar.update(1)
        )
    click.echo(summary.line(time.monotonic() - started))


def _loop(engine, policy, workers) -> None:
    stop = threading.Event()

    def request_stop(signum, _frame):
        click.echo(f"stopping after the polls in flight ({signal.Signals(signum).name})", err=True)
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    click.echo(f"polling with {workers} workers until SIGTERM or Ctrl-C", err=True)
    try:
        run_poller(
            engine,
            policy=policy,
            workers=workers,
            stop=stop,
            on_round=lambda summary: click.echo(summary.line(0.0).replace(" in 0.0 s", "")),
        )
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    click.echo("poller stopped")


COMMANDS = (feeds_group,)
