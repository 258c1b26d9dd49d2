"""Poll now queues a job and returns at once; the row shows queued, running, done or the
error, asks again every 2 s while the job is on its way, and a plain reload shows it too."""

import re

import pytest

from tests.factories import make_campaign, make_user
from tests.factories.feeds import RSS, make_channel, rss
from tests.feed_server import FeedServer
from tests.worker import run_jobs
from tracker.jobs import JobQueue

HX = {"HX-Request": "true"}
POLLING = 'data-hx-trigger="every 2s"'


@pytest.fixture
def campaign(app, client, session):
    app.config["ALLOW_PRIVATE_FEEDS"] = True  # the test feed server listens on 127.0.0.1
    owner = make_user(session)
    client.login(owner.email)
    return make_campaign(session, owner=owner, slug="synth")


def _pending(app) -> int:
    return app.extensions["tracker.jobs"].huey.pending_count()


def test_poll_now_queues_returns_at_once_and_the_row_follows_the_job(
    app, client, session, campaign
):
    with FeedServer() as server:
        server.route("/f", body=rss(("a", "First"), ("b", "Second")), headers=RSS)
        channel = make_channel(session, campaign, feed_url=server.url("/f"))
        poll = f"/dashboard/synth/feeds/channels/{channel.id}/poll"

        queued = client.post(poll, headers=HX)
        again = client.post(poll)  # a second click while the job waits: the same job
        assert queued.status_code == 200 and again.status_code == 303
        assert again.headers["Location"].endswith(f"/dashboard/synth/feeds/#channel-{channel.id}")
        row = queued.get_data(as_text=True)
        assert row.lstrip().startswith(f'<tr id="channel-{channel.id}"')
        assert "Poll queued" in row and POLLING in row
        assert server.requests == [] and _pending(app) == 1  # nothing fetched in the request

        page = client.get("/dashboard/synth/feeds/")  # without JavaScript: a reload
        assert page.status_code == 200 and "Poll queued" in page.get_data(as_text=True)

        run_jobs(app)
        assert len(server.requests_to("/f")) == 1

    row_url = re.search(r'data-hx-get="([^"]+)"', row).group(1)
    assert row_url == f"/dashboard/synth/feeds/channels/{channel.id}/row"
    done = client.get(row_url, headers=HX)
    html = done.get_data(as_text=True)
    assert done.status_code == 200 and html.lstrip().startswith("<tr")
    assert "Poll done" in html and POLLING not in html and "<td>2</td>" in html
    assert "HX-Request" in done.headers["Vary"]
    reload = client.get("/dashboard/synth/feeds/")
    assert reload.status_code == 200 and "Poll done" in reload.get_data(as_text=True)
    plain = client.get(row_url)  # the row alone is for htmx; a browser gets the page
    assert plain.status_code == 303
    assert plain.headers["Location"].endswith(f"/dashboard/synth/feeds/#channel-{channel.id}")


def test_a_failed_poll_shows_its_error_on_the_row(app, client, session, campaign):
    with FeedServer() as server:
        server.route("/gone", status=500)
        channel = make_channel(session, campaign, feed_url=server.url("/gone"))
        polled = client.post(f"/dashboard/synth/feeds/channels/{channel.id}/poll", headers=HX)
        assert polled.status_code == 200
        run_jobs(app)
    row = client.get(f"/dashboard/synth/feeds/channels/{channel.id}/row", headers=HX)
    html = row.get_data(as_text=True)
    assert row.status_code == 200 and POLLING not in html
    assert "Poll failed" in html and "Last error (1 in a row): HTTP 500" in html


def test_a_queue_that_cannot_take_the_job_is_said_on_the_row(
    app, client, session, campaign, tmp_path
):
    (tmp_path / "a-file").write_text("")
    unusable = f"sqlite:///{tmp_path / 'a-file' / 'queue.sqlite3'}"  # its folder is a file
    engine = app.extensions["tracker.engine"]
    app.extensions["tracker.jobs"] = JobQueue(unusable, engine=engine, config=app.config)
    channel = make_channel(session, campaign)
    polled = client.post(f"/dashboard/synth/feeds/channels/{channel.id}/poll", headers=HX)
    html = polled.get_data(as_text=True)
    assert polled.status_code == 200 and POLLING not in html
    assert "could not queue the job" in html


def test_other_founders_cannot_poll_or_read_the_row(app, client, session, campaign):
    other = make_campaign(session, slug="other")
    channel = make_channel(session, other)
    assert client.post(f"/dashboard/synth/feeds/channels/{channel.id}/poll").status_code == 404
    assert client.get(f"/dashboard/synth/feeds/channels/{channel.id}/row").status_code == 404
    assert client.get("/dashboard/synth/feeds/channels/99999999999/row").status_code == 404
    assert _pending(app) == 0
