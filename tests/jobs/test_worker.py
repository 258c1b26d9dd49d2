"""`tracker worker` runs the periodic feed poll; `--once` does what is due and exits (#15)."""

import signal
import threading

import pytest
from sqlalchemy import func, select

from tests.factories import make_campaign
from tests.factories.feeds import RSS, make_channel, rss
from tests.feed_server import FeedServer, Route
from tests.worker import running_worker, wait_for
from tracker import create_app
from tracker.models import Channel, Entry


@pytest.fixture
def local_feeds(app):
    app.config["ALLOW_PRIVATE_FEEDS"] = True  # the test feed server listens on 127.0.0.1


@pytest.fixture
def campaign(session):
    return make_campaign(session)


def _worker_once(app):
    from tracker.cli import main

    return app.test_cli_runner().invoke(main, ["worker", "--once"])


def _entries(session) -> int:
    session.rollback()  # a new transaction sees what the worker committed
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Entry))


@pytest.mark.usefixtures("local_feeds")
def test_worker_once_polls_the_due_channels_and_exits(app, session, campaign):
    with FeedServer() as server:
        server.route("/f", body=rss(("a", "First"), ("b", "Second")), headers=RSS)
        channel = make_channel(session, campaign, feed_url=server.url("/f"))
        result = _worker_once(app)
    assert result.exit_code == 0, result.output
    # The periodic poll, webhooks and mail retry every minute; team mail at some minutes.
    done = result.output.splitlines()[-1]
    assert done.startswith("jobs done: ") and int(done.split()[-1]) >= 3, done
    assert _entries(session) == 2
    assert session.get(Channel, channel.id).last_success_at is not None
    again = _worker_once(app)  # nothing is due now: the poll finds nothing
    assert again.exit_code == 0 and _entries(session) == 2


# Each signal once and each database once: stopping is the same on both databases, and a
# worker process costs seconds to start (four starts were the slowest tests of the run).
@pytest.mark.usefixtures("local_feeds")
@pytest.mark.parametrize(
    ("db_url", "sig"),
    [("postgresql", signal.SIGTERM), ("sqlite", signal.SIGINT)],
    indirect=["db_url"],
    ids=["postgresql-SIGTERM", "sqlite-SIGINT"],
)
def test_worker_polls_by_itself_and_stops_gracefully(app, session, campaign, sig):
    release = threading.Event()

    def held(_request):
        release.wait(30)  # the poll is in progress until the test lets it answer
        return Route(body=rss(("a", "First")), headers=RSS)

    with FeedServer() as server:
        server.route("/held", held)
        make_channel(session, campaign, feed_url=server.url("/held"))
        with running_worker(app, "--threads", "2") as worker:
            wait_for(lambda: server.requests_to("/held"), what="the worker's periodic poll")
            worker.process.send_signal(sig)  # a stop while the poll waits for the feed
            wait_for(lambda: "stopping after the jobs in progress" in worker.output)
            release.set()
            code = worker.stop()
    assert code == 0, worker.output
    assert "worker stopped" in worker.output and "Traceback" not in worker.output
    assert _entries(session) == 1  # the poll in progress was finished, not cut off


def test_the_queue_url_is_checked_and_defaults_beside_the_sqlite_database(tmp_path):
    config = {
        "TESTING": True,
        "SECRET_KEY": "k",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'a.sqlite3'}",
    }
    with pytest.raises(ValueError, match="TRACKER_QUEUE_URL 'redis://q': use sqlite:///"):
        create_app({**config, "QUEUE_URL": "redis://q"})
    app = create_app(config)
    assert app.config["QUEUE_URL"] == f"sqlite:///{tmp_path / 'a-queue.sqlite3'}"
    app.extensions["tracker.engine"].dispose()
