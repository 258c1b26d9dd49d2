"""`tracker worker`: run the background jobs (feed polls now; mail and webhooks later)."""

import logging

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.jobs import get_queue
from tracker.jobs.worker import run_once, run_worker


@click.command("worker", help="Run background jobs until SIGTERM or Ctrl-C, or once (--once).")
@click.option("--once", is_flag=True, help="Do every job that is due, then exit (for cron).")
@click.option(
    "--threads",
    type=click.IntRange(1, 64),
    default=None,
    help="Jobs run at once (default: TRACKER_WORKER_THREADS).",
)
@with_appcontext
def worker_command(once, threads):
    """Run queued jobs and the periodic ones: the feed poll every minute."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    queue = get_queue()
    if once:
        click.echo(f"jobs done: {run_once(queue)}")
        return
    threads = threads or int(current_app.config.get("WORKER_THREADS") or 4)
    run_worker(queue, threads=threads, say=lambda line: click.echo(line, err=True))


COMMANDS = (worker_command,)
