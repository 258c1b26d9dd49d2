"""Scale-out: two worker processes share one queue on PostgreSQL; N jobs, each done once,
two of them at the same time (#15). CI runs it: .ci/run requires PostgreSQL."""

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.factories import make_campaign
from tests.factories.feeds import RSS, make_channel, rss
from tests.feed_server import FeedServer, Route
from tests.worker import running_worker, use_queue, wait_for
from tracker.feeds.channel_jobs import request_job
from tracker.models import Channel, Entry, utcnow

JOBS = 20
EXECUTING = "Executing tracker.jobs.feeds.poll_channel:"


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_workers_on_postgresql_do_each_job_once(app, session, db_url):
    app.config["ALLOW_PRIVATE_FEEDS"] = True  # the test feed server listens on 127.0.0.1
    queue = use_queue(app, db_url)  # the queue's tables beside the app's, in one database
    both_busy = threading.Barrier(2, timeout=30)
    seen = []

    def feed(request):
        seen.append(request.path)
        if len(seen) <= 2:
            both_busy.wait()  # answers only once two polls are in flight: two workers at once
        return Route(body=rss((request.path, f"Post of {request.path}")), headers=RSS)

    campaign = make_campaign(session)
    later = utcnow() + timedelta(days=1)  # not due: only the queued jobs poll them
    with FeedServer() as server:
        channels = []
        for n in range(JOBS):
            server.route(f"/{n}.rss", feed)
            channel = make_channel(session, campaign, feed_url=server.url(f"/{n}.rss"))
            channel.next_poll_at = later
            channels.append(channel)
        session.commit()
        with (
            running_worker(app, "--threads", "1") as one,
            running_worker(app, "--threads", "1") as two,
        ):
            for channel in channels:
                job_id = request_job(session, channel, "poll", now=utcnow())
                session.commit()
                queue.enqueue("feeds.poll_channel", channel.id, job_id)
            wait_for(lambda: _done(session) == JOBS, timeout=60, what=f"{JOBS} polls done")
    assert one.returncode == 0 and two.returncode == 0, one.output + two.output
    assert sorted(seen) == sorted(f"/{n}.rss" for n in range(JOBS))  # each feed fetched once
    assert session.scalar(select(func.count()).select_from(Entry)) == JOBS
    done_by = [one.output.count(EXECUTING), two.output.count(EXECUTING)]
    assert sum(done_by) == JOBS and min(done_by) >= 1, done_by
    assert queue.huey.pending_count() == 0


def _done(session) -> int:
    session.rollback()  # a new transaction sees what the workers committed
    return session.scalar(
        select(func.count()).select_from(Channel).where(Channel.job_state == "done")
    )
