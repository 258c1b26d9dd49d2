"""No web request waits on a remote server: while two hosts accept and never answer, a
founder's Poll now and Add channel return at once, and the public page and the dashboard
answer within a bound, under gunicorn -w 2 with a real worker stuck on those hosts (#15).

Before the worker, the two founder requests each held one of the two gunicorn workers for
the whole fetch deadline, and an anonymous page view waited behind them (26 s seen)."""

import re
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.factories import PASSWORD, make_campaign, make_user
from tests.factories.feeds import make_channel
from tests.feed_server import FeedServer
from tests.worker import running_worker, wait_for, worker_env

BOUND = 3.0  # seconds; a request that waited on a hanging host took the 10 s fetch deadline
TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')


@pytest.fixture
def gunicorn(app):
    """Serve the app under gunicorn -w 2 on 127.0.0.1; return its base URL."""
    app.config["ALLOW_PRIVATE_FEEDS"] = True  # the hanging hosts listen on 127.0.0.1
    listener = socket.create_server(("127.0.0.1", 0))
    base = f"http://127.0.0.1:{listener.getsockname()[1]}"
    env = worker_env(app, TRACKER_SECRET_KEY="hanging-hosts-secret", TRACKER_PUBLIC_URL=base)
    env["TRACKER_SESSION_COOKIE_SECURE"] = "false"  # plain http on 127.0.0.1
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--bind",
            f"fd://{listener.fileno()}",
            "tracker:create_app()",
        ],
        env=env,
        pass_fds=[listener.fileno()],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    listener.close()  # gunicorn holds the socket: requests wait in its backlog until it is up
    try:
        yield base
    finally:
        server.terminate()
        output = server.communicate(timeout=60)[0]
        print(output)  # shown when the test fails
    assert "Traceback" not in output


def _timed(client: httpx.Client, method: str, url: str, **kwargs) -> tuple[int, float]:
    started = time.monotonic()
    response = client.request(method, url, **kwargs)
    return response.status_code, time.monotonic() - started


def _log_in(client: httpx.Client, email: str) -> str:
    page = client.get("/auth/login")
    assert page.status_code == 200
    token = TOKEN.search(page.text).group(1)
    response = client.post(
        "/auth/login", data={"csrf_token": token, "email": email, "password": PASSWORD}
    )
    assert response.status_code == 303, response.text
    return token


def test_page_views_stay_fast_while_remote_hosts_hang(app, session, gunicorn):
    owner = make_user(session)
    campaign = make_campaign(session, owner=owner, slug="synth")
    with running_worker(app) as worker, FeedServer() as first, FeedServer() as second:
        first.route("/feed.xml", stall=True)  # accepts, reads the request, never answers
        second.route("/page", stall=True)
        channel = make_channel(session, campaign, feed_url=first.url("/feed.xml"))
        anonymous = httpx.Client(base_url=gunicorn, timeout=60)
        founder = httpx.Client(base_url=gunicorn, timeout=60)
        with anonymous, founder:
            for _ in range(2):  # both gunicorn workers have served once: no cold start below
                assert anonymous.get("/c/synth").status_code == 200
            token = _log_in(founder, owner.email)
            feeds = "/dashboard/synth/feeds"
            with ThreadPoolExecutor(4) as pool:
                poll = pool.submit(
                    _timed,
                    founder,
                    "POST",
                    f"{feeds}/channels/{channel.id}/poll",
                    data={"csrf_token": token},
                )
                add = pool.submit(
                    _timed,
                    founder,
                    "POST",
                    f"{feeds}/channels",
                    data={"csrf_token": token, "url": second.url("/page"), "role": "updates"},
                )
                # Both hosts are now waited on: by the worker (or, before it, by the web).
                wait_for(lambda: first.requests_to("/feed.xml") and second.requests_to("/page"))
                views = [
                    pool.submit(_timed, anonymous, "GET", "/c/synth"),
                    pool.submit(_timed, founder, "GET", f"{feeds}/"),
                    pool.submit(_timed, anonymous, "GET", "/c/synth"),
                ]
                timings = {
                    "poll now": poll.result(),
                    "add channel": add.result(),
                    "public page": views[0].result(),
                    "dashboard": views[1].result(),
                    "public page again": views[2].result(),
                }
    print(timings)  # shown when the test fails
    assert {name: status for name, (status, _) in timings.items()} == {
        "poll now": 303,
        "add channel": 303,
        "public page": 200,
        "dashboard": 200,
        "public page again": 200,
    }
    slow = {name: seconds for name, (_, seconds) in timings.items() if seconds >= BOUND}
    assert not slow, f"waited on a hanging host: {slow}"
    assert worker.returncode == 0, worker.output
