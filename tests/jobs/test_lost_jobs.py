"""A job whose worker was killed (SIGKILL) does not show "running" for 5 minutes: the next
worker to start on that host, or a live one's health check, sees the process is gone and
says so on the channel's row; a job of a live worker is left alone (#15)."""

import os
import socket
import subprocess
import sys
import threading
from datetime import timedelta

import pytest

from tests.factories import make_campaign, make_user
from tests.factories.feeds import RSS, make_channel, rss
from tests.feed_server import FeedServer, Route
from tests.worker import TRACKER, Worker, running_worker, wait_for, worker_env
from tracker.jobs.liveness import is_gone, worker_name
from tracker.models import Channel, utcnow

HX = {"HX-Request": "true"}


@pytest.fixture
def campaign(app, client, session):
    app.config["ALLOW_PRIVATE_FEEDS"] = True  # the test feed server listens on 127.0.0.1
    owner = make_user(session)
    client.login(owner.email)
    return make_campaign(session, owner=owner, slug="synth")


def _job(session, channel_id):
    session.rollback()  # a new transaction sees what the workers committed
    session.expire_all()
    channel = session.get(Channel, channel_id)
    return channel.job_state, channel.job_error


def test_a_poll_whose_worker_was_killed_fails_when_a_worker_starts(app, client, session, campaign):
    release = threading.Event()

    def held(_request):
        release.wait(60)  # the poll is running until the test lets the feed answer
        return Route(body=rss(("a", "First")), headers=RSS)

    with FeedServer() as server:
        server.route("/held", held)
        channel = make_channel(session, campaign, feed_url=server.url("/held"))
        channel.next_poll_at = utcnow() + timedelta(days=1)  # only Poll now fetches it
        session.add(channel)
        session.commit()
        poll = client.post(f"/dashboard/synth/feeds/channels/{channel.id}/poll", headers=HX)
        assert poll.status_code == 200
        first = Worker([str(TRACKER), "worker"], worker_env(app))
        try:
            first.wait_started()
            wait_for(lambda: server.requests_to("/held"), what="the worker's poll")
            assert _job(session, channel.id) == ("running", None)
            first.process.kill()
        finally:
            first.wait()
        assert _job(session, channel.id) == ("running", None)  # nobody knows yet

        with running_worker(app):
            wait_for(lambda: _job(session, channel.id)[0] == "failed", 20, "the row released")
        release.set()
    assert _job(session, channel.id) == (
        "failed",
        "the worker stopped before the job finished (killed?): try again",
    )
    row = client.get(f"/dashboard/synth/feeds/channels/{channel.id}/row", headers=HX)
    html = row.get_data(as_text=True)
    assert row.status_code == 200 and "data-hx-trigger" not in html
    assert "Poll failed: the worker stopped before the job finished" in html


def test_only_a_process_that_is_gone_counts_as_gone():
    host = socket.gethostname()
    assert not is_gone(worker_name())  # this process
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True)  # fmt: skip
    assert is_gone(f"{host}:{ended.stdout.strip()}:abcd")
    assert is_gone(f"{host}:{os.getpid()}:another-start")  # this pid, an earlier process
    assert not is_gone(f"elsewhere.example:{ended.stdout.strip()}:abcd")  # cannot tell
    assert not is_gone(f"{host}:1:abcd")  # alive (init), even if not ours to signal
