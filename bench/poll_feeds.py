"""Poll 500 generated feeds from a local server into a fresh SQLite database.

    .venv/bin/python bench/poll_feeds.py [--feeds 500] [--entries 50] [--workers 4]

Serves RSS and Atom documents (50 entries of ~1 KB HTML each) from a threaded HTTP
server on 127.0.0.1 that answers conditional GETs, then measures, against the time of
bare `feedparser.parse` over the same bytes:
  cold   every entry is new;
  warm   every feed answers 304 Not Modified;
  10 %   a tenth of the feeds changed (one new entry each), the rest answer 304.
Targets (issue 4): cold <= 1.5 x bare parse; warm >= 300 feeds/s.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import tempfile
import threading
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import feedparser
from sqlalchemy import update
from sqlmodel import Session

from tracker.accounts.users import create_user
from tracker.campaigns.campaigns import CampaignInput, create_campaign
from tracker.db import make_engine
from tracker.feeds.channels import create_channel
from tracker.feeds.fetch import FetchPolicy
from tracker.feeds.poller import poll_due
from tracker.models import Channel, utcnow
from tracker.schema import upgrade

WORDS = [
    *("synth", "sequencer", "firmware", "board", "battery", "midi", "knob", "enclosure"),
    *("prototype", "backers", "beta", "shipping", "factory", "tooling", "sample", "render"),
    *("patch", "oscillator", "filter", "envelope"),
]
START = datetime(2026, 11, 1, tzinfo=UTC)


def _html(rng: random.Random) -> str:
    paragraphs = []
    while sum(len(p) for p in paragraphs) < 900:
        words = " ".join(rng.choice(WORDS) for _ in range(18))
        paragraphs.append(
            f"<p>{words} <a href='https://example.org/{rng.randint(1, 9999)}'>more</a></p>"
        )
    return "".join(paragraphs)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def make_feed(n: int, version: int, entries: int) -> bytes:
    """Return feed n at `version`: each version adds one entry on top."""
    rng = random.Random(n)
    items = []
    for i in range(version, version + entries):
        when = START + timedelta(hours=n % 24, minutes=i)
        body = _escape(_html(rng))
        guid = f"https://feeds.example/{n}/posts/{i}"
        if n % 2:
            items.append(
                f"<entry><id>{guid}</id><title>Post {i} of feed {n}</title>"
                f'<link href="{guid}"/><updated>{when.isoformat()}</updated>'
                f'<content type="html">{body}</content></entry>'
            )
        else:
            items.append(
                f"<item><guid>{guid}</guid><title>Post {i} of feed {n}</title><link>{guid}</link>"
                f"<pubDate>{when.strftime('%a, %d %b %Y %H:%M:%S +0000')}</pubDate>"
                f"<description>{body}</description></item>"
            )
    items.reverse()
    if n % 2:
        return (
            '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<id>urn:feed:{n}</id><title>Feed {n}</title><updated>{START.isoformat()}</updated>"
            + "".join(items)
            + "</feed>"
        ).encode()
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Feed {n}</title><link>https://feeds.example/{n}</link>"
        + "".join(items)
        + "</channel></rss>"
    ).encode()


class Feeds:
    """The documents served, by path, with an ETag per version."""

    def __init__(self, count: int, entries: int) -> None:
        self.entries = entries
        self.versions = dict.fromkeys(range(count), 0)
        self.bodies = {n: make_feed(n, 0, entries) for n in range(count)}
        self.lock = threading.Lock()

    def change(self, n: int) -> None:
        with self.lock:
            self.versions[n] += 1
            self.bodies[n] = make_feed(n, self.versions[n], self.entries)

    def serve(self) -> ThreadingHTTPServer:
        feeds = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                if self.path.startswith("/_change/"):
                    for n in self.path.removeprefix("/_change/").split(","):
                        feeds.change(int(n))
                    self.send_response(204)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                n = int(self.path.strip("/").split(".")[0])
                with feeds.lock:
                    etag, body = f'"{n}-{feeds.versions[n]}"', feeds.bodies[n]
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                kind = "atom" if n % 2 else "rss"
                self.send_header("Content-Type", f"application/{kind}+xml; charset=utf-8")
                self.send_header("ETag", etag)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        return server


def _serve(count: int, entries: int, port_out) -> None:
    server = Feeds(count, entries).serve()
    port_out.send(server.server_address[1])
    server.serve_forever(poll_interval=0.05)


def make_database(path: Path, urls: list[str]):
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with Session(engine) as session:
        secret = "bench password 1"  # noqa: S105  (a throwaway database)
        owner = create_user(session, email="bench@example.com", password=secret)
        campaign = create_campaign(
            session,
            owner=owner,
            data=CampaignInput(
                slug="bench",
                title="Bench",
                goal_minor=100,
                currency="EUR",
                starts_on=START.date(),
                ends_on=START.date(),
            ),
        )
        for url in urls:
            create_channel(session, campaign, role="updates", kind="direct", feed_url=url)
        session.commit()
    return engine


def make_due(engine) -> None:
    with Session(engine) as session:
        session.execute(update(Channel).values(next_poll_at=utcnow() - timedelta(seconds=1)))
        session.commit()


def timed(label: str, run, feeds: int) -> tuple[float, object]:
    started = time.perf_counter()
    summary = run()
    seconds = time.perf_counter() - started
    print(
        f"{label:<24} {seconds:7.2f} s  {feeds / seconds:8.1f} feeds/s  "
        f"{summary.new_entries / seconds:9.1f} entries/s  ({summary.new_entries} new, "
        f"{summary.not_modified} not modified, {summary.failed} failed)"
    )
    return seconds, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()

    feeds = Feeds(args.feeds, args.entries)
    size = sum(len(body) for body in feeds.bodies.values())
    print(f"{args.feeds} feeds, {args.entries} entries each, {size / 1e6:.1f} MB of XML")

    # The server runs in its own process, as a remote host would: its work is not ours.
    receive, send = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.Process(
        target=_serve, args=(args.feeds, args.entries, send), daemon=True
    )
    process.start()
    port = receive.recv()
    started = time.perf_counter()
    parsed = sum(len(feedparser.parse(body).entries) for body in feeds.bodies.values())
    bare = time.perf_counter() - started
    print(
        f"{'bare feedparser.parse':<24} {bare:7.2f} s  {args.feeds / bare:8.1f} feeds/s  "
        f"{parsed / bare:9.1f} entries/s"
    )

    policy = FetchPolicy(allow_private=True)
    try:
        with tempfile.TemporaryDirectory() as folder:
            urls = [f"http://127.0.0.1:{port}/{n}.xml" for n in range(args.feeds)]
            engine = make_database(Path(folder) / "bench.sqlite3", urls)

            def poll():
                return poll_due(engine, policy=policy, workers=args.workers)

            cold, _ = timed("cold poll (all new)", poll, args.feeds)
            make_due(engine)
            warm, _ = timed("warm poll (all 304)", poll, args.feeds)
            changed = random.Random(7).sample(range(args.feeds), args.feeds // 10)
            urllib.request.urlopen(
                f"http://127.0.0.1:{port}/_change/{','.join(map(str, changed))}", timeout=30
            ).close()
            make_due(engine)
            timed("10 % changed", poll, args.feeds)
            engine.dispose()
    finally:
        process.terminate()
        process.join()
    print(
        f"cold poll / bare parse = {cold / bare:.2f} (target <= 1.5); "
        f"warm poll {args.feeds / warm:.0f} feeds/s (target >= 300); workers {args.workers}"
    )


if __name__ == "__main__":
    main()
