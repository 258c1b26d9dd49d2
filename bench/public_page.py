"""Serve the public campaign page with gunicorn and load it, next to a bare Flask page.

    .venv/bin/python bench/public_page.py [--seconds 10]

Builds a campaign with 20,000 pledges, 40 milestones and 2,000 feed entries in a fresh
SQLite database, serves the app with gunicorn (2 workers) and, in the same run, a bare
Flask + SQLModel app that reads one row and renders one template (2 workers); loads
both with wrk on loopback (or a bounded Python client when wrk is not installed) and
prints requests/s and their ratio. Then it repeats with 200,000 pledges. Targets
(issue 6): ratio >= 0.5; time per request at 200k within 1.2x of 20k.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
import urllib.request
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

BARE_APP = textwrap.dedent("""
    import os
    from flask import Flask, render_template_string
    from sqlalchemy import text
    from sqlmodel import Session, create_engine

    app = Flask(__name__)
    engine = create_engine(os.environ["BENCH_DATABASE_URL"])
    PAGE = "<!doctype html><title>{{ title }}</title><h1>{{ title }}</h1><p>{{ tagline }}</p>"

    @app.get("/")
    def page():
        with Session(engine) as session:
            title, tagline = session.execute(
                text("SELECT title, tagline FROM campaigns LIMIT 1")).one()
        return render_template_string(PAGE, title=title, tagline=tagline)
""")


def build_database(path: Path, pledges: int) -> None:
    """Create the campaign: pledges from a generated report, milestones, feed entries."""
    from make_kickstarter_csv import write_kickstarter_csv
    from sqlmodel import Session

    from tracker.accounts.users import create_user
    from tracker.campaigns.campaigns import CampaignInput, create_campaign
    from tracker.campaigns.milestones import MilestoneInput, add_milestone
    from tracker.db import make_engine
    from tracker.feeds.channels import create_channel
    from tracker.feeds.parsing import FeedEntry
    from tracker.feeds.store import store_entries
    from tracker.models import Actor
    from tracker.pledges.imports import import_pledges
    from tracker.schema import upgrade

    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    today = date.today()
    with Session(engine) as session:
        owner = create_user(session, email="bench@example.com", password="bench-password")  # noqa: S106
        campaign = create_campaign(
            session,
            owner=owner,
            data=CampaignInput(
                slug="bench",
                title="Bench Deck",
                tagline="A campaign under load",
                goal_minor=10**9,
                currency="USD",
                starts_on=today - timedelta(days=400),
                ends_on=today + timedelta(days=20),
                is_public=True,
            ),
        )
        for n in range(40):
            add_milestone(
                session,
                campaign,
                MilestoneInput(
                    title=f"Milestone {n}",
                    tag=f"m{n}",
                    due_on=today + timedelta(days=n * 7 - 100),
                    status="done" if n < 10 else "planned",
                    threshold_minor=(n + 1) * 10**7 if n % 8 == 0 else None,
                    description_md=f"Step **{n}** of the plan.",
                ),
                actor=Actor(label="bench"),
            )
        session.commit()
        report = path.with_suffix(".csv")
        write_kickstarter_csv(report, pledges)
        with report.open("rb") as fileobj:
            import_pledges(
                session,
                campaign=campaign,
                fileobj=fileobj,
                filename=report.name,
                actor=Actor(label="bench"),
            )
        report.unlink()
        now = datetime.now(UTC)
        for role, count in (("updates", 400), ("feedback", 1600)):
            channel = create_channel(
                session,
                campaign,
                role=role,
                kind="direct",
                feed_url=f"https://feeds.example/{role}.rss",
            )
            entries = [
                FeedEntry(
                    key=f"guid:{role}-{n}",
                    title=f"{role} post {n} #m{n % 40}",
                    link=f"https://feeds.example/{role}/{n}",
                    author=f"@user{n % 97}@social.example",
                    content_html=f"<p>Post {n} about milestone #m{n % 40}.</p>",
                    summary_text=f"Post {n} about milestone #m{n % 40}. When is it shipping?",
                    published_at=now - timedelta(hours=n * 3),
                    published_guessed=False,
                    engagement={},
                    tags=(f"m{n % 40}",),
                )
                for n in range(count)
            ]
            store_entries(session, channel, entries, now=now)
        session.commit()
    engine.dispose()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(app_spec: str, env: dict, cwd: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [str(gunicorn), "-w", "2", "-b", f"127.0.0.1:{port}", "--log-level", "warning", app_spec],
        cwd=cwd,
        env={**os.environ, **env},
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return process, url
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"server {app_spec} did not answer on {url}")


def _load(url: str, seconds: int) -> float:
    """Return requests/s for GET url, with wrk when installed."""
    if shutil.which("wrk"):
        output = subprocess.run(
            ["wrk", "-t2", "-c8", f"-d{seconds}s", url], check=True, capture_output=True, text=True
        ).stdout
        return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    return _python_load(url, seconds)


def _python_load(url: str, seconds: int) -> float:
    import http.client
    from urllib.parse import urlsplit

    parts, done, stop = urlsplit(url), [0] * 8, time.monotonic() + seconds

    def worker(slot):
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        while time.monotonic() < stop:
            connection.request("GET", parts.path or "/")
            connection.getresponse().read()
            done[slot] += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds


def measure(pledges: int, seconds: int, tmp: Path) -> dict[str, float]:
    database = tmp / f"bench-{pledges}.sqlite3"
    started = time.perf_counter()
    build_database(database, pledges)
    print(
        f"  built {pledges:,} pledges, 40 milestones, 2,000 entries in "
        f"{time.perf_counter() - started:.1f} s"
    )
    (tmp / "bare_app.py").write_text(BARE_APP)
    env = {
        "TRACKER_DATABASE_URL": f"sqlite:///{database}",
        "TRACKER_SECRET_KEY": "bench",
        "BENCH_DATABASE_URL": f"sqlite:///{database}",
    }
    results = {}
    runs = (
        ("page", "wsgi:app", ROOT, "c/bench", {}),
        (
            "page, no microcache",
            "wsgi:app",
            ROOT,
            "c/bench",
            {"TRACKER_PUBLIC_MICROCACHE_SECONDS": "0"},
        ),
        ("bare", "bare_app:app", tmp, "", {}),
    )
    for name, spec, cwd, path, extra in runs:
        process, url = _serve(spec, {**env, **extra}, cwd)
        try:
            target = url + path
            body = urllib.request.urlopen(target, timeout=10).read()  # noqa: S310 (loopback)
            assert b"Bench Deck" in body, body[:200]
            _load(target, 2)  # warm up: every worker computes its figures and caches once
            results[name] = _load(target, seconds)
        finally:
            process.terminate()
            process.wait(timeout=10)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    tool = "wrk -t2 -c8" if shutil.which("wrk") else "a Python client, 8 connections"
    print(f"gunicorn, 2 workers each, SQLite; load with {tool} for {args.seconds} s")
    rates = {}
    with tempfile.TemporaryDirectory() as tmp:
        for pledges in (20_000, 200_000):
            rates[pledges] = found = measure(pledges, args.seconds, Path(tmp))
            for name in ("page", "page, no microcache"):
                print(
                    f"{pledges:>7,} pledges: {name:<20} {found[name]:8,.0f} req/s, bare "
                    f"{found['bare']:8,.0f} req/s, ratio {found[name] / found['bare']:.2f}"
                    "   target >= 0.5"
                )
    for name in ("page", "page, no microcache"):
        raw = rates[20_000][name] / rates[200_000][name]
        # Against the bare page of the same run, so that other load on the machine cancels out.
        relative = (rates[20_000][name] / rates[20_000]["bare"]) / (
            rates[200_000][name] / rates[200_000]["bare"]
        )
        print(
            f"{name}: time per request at 200k / at 20k {raw:.2f}, relative to the bare "
            f"page {relative:.2f}   target <= 1.2"
        )


if __name__ == "__main__":
    main()
