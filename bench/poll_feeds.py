"""Poll 300 generated feeds from a local server: the tracker against lemon24/reader.

    .venv/bin/pip install -e '.[bench]'    # reader and sgmllib3k
    .venv/bin/python bench/poll_feeds.py [--feeds 300] [--entries 50] [--workers 8] [--rounds 3]

Serves RSS and Atom documents (50 entries of ~1 KB HTML each) from a threaded HTTP
server on 127.0.0.1, in a process of its own, that answers conditional GETs. Each round
makes a fresh SQLite database for each poller and times, as the command a cron job runs
(a subprocess: interpreter start, imports, the poll, exit):
  cold   every entry is new;
  warm   every feed answers 304 Not Modified;
  10 %   a tenth of the feeds changed (one new entry each), the rest answer 304;
`tracker feeds poll --workers N` against `bench/reader_update.py` (reader's
update_feeds with N workers), the two side by side, the one that goes first alternating
between rounds. "inside" is the time each reports for its poll alone. The server counts
its 200 and 304 answers, so each poller is seen to fetch what it should.
Targets (issue 11): the tracker's command at least as fast as reader's, cold and warm.
Printed for issue 4, from the tracker's own time: warm >= 300 feeds/s, and with --bare
cold <= 1.5 x bare feedparser.parse of the same documents in this process.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import re
import statistics
import sys
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
from timing import time_command

from tracker.accounts.users import create_user
from tracker.campaigns.campaigns import CampaignInput, create_campaign
from tracker.db import make_engine
from tracker.feeds.channels import create_channel
from tracker.models import Channel, utcnow
from tracker.schema import upgrade

BIN = Path(sys.executable).parent
HERE = Path(__file__).resolve().parent
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
    """The documents served, by path, with an ETag per version; answers counted by status."""

    def __init__(self, count: int, entries: int) -> None:
        self.entries = entries
        self.versions = dict.fromkeys(range(count), 0)
        self.bodies = {n: make_feed(n, 0, entries) for n in range(count)}
        self.answers = {200: 0, 304: 0}
        self.lock = threading.Lock()

    def change(self, n: int) -> None:
        with self.lock:
            self.versions[n] += 1
            self.bodies[n] = make_feed(n, self.versions[n], self.entries)

    def take_answers(self) -> dict[int, int]:
        """Return the answers counted since the last call, and start counting again."""
        with self.lock:
            answers, self.answers = self.answers, {200: 0, 304: 0}
        return answers

    def serve(self) -> ThreadingHTTPServer:
        feeds = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                if self.path.startswith("/_change/"):
                    for n in self.path.removeprefix("/_change/").split(","):
                        feeds.change(int(n))
                    self._send(204, b"")
                    return
                if self.path == "/_answers":
                    self._send(200, json.dumps(feeds.take_answers()).encode())
                    return
                n = int(self.path.strip("/").split(".")[0])
                with feeds.lock:
                    etag, body = f'"{n}-{feeds.versions[n]}"', feeds.bodies[n]
                    status = 304 if self.headers.get("If-None-Match") == etag else 200
                    feeds.answers[status] += 1
                kind = "atom" if n % 2 else "rss"
                headers = {"Content-Type": f"application/{kind}+xml; charset=utf-8"}
                self._send(status, b"" if status == 304 else body, {**headers, "ETag": etag})

            def _send(self, status: int, body: bytes, headers: dict | None = None) -> None:
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args) -> None:
                pass

        server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        server.request_queue_size = 128
        return server


def _serve(count: int, entries: int, port_out) -> None:
    server = Feeds(count, entries).serve()
    port_out.send(server.server_address[1])
    server.serve_forever(poll_interval=0.05)


class Server:
    """The feed server's process, spoken to over HTTP like the pollers do."""

    def __init__(self, feeds: int, entries: int) -> None:
        # Its own process, as a remote host would be: its work is not the pollers'.
        receive, send = multiprocessing.Pipe(duplex=False)
        self.process = multiprocessing.Process(
            target=_serve, args=(feeds, entries, send), daemon=True
        )
        self.process.start()
        self.base = f"http://127.0.0.1:{receive.recv()}"

    def get(self, path: str) -> bytes:
        url = f"{self.base}{path}"  # our own server on 127.0.0.1
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310
            return response.read()

    def answers(self) -> dict[int, int]:
        return {int(status): n for status, n in json.loads(self.get("/_answers")).items()}

    def stop(self) -> None:
        self.process.terminate()
        self.process.join()


def make_tracker_database(path: Path, urls: list[str]) -> str:
    url = f"sqlite:///{path}"
    engine = make_engine(url)
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
        for feed_url in urls:
            create_channel(
                session,
                campaign,
                role="updates",
                kind="direct",
                feed_url=feed_url,
                max_channels=len(urls),
            )
        session.commit()
    engine.dispose()
    return url


def make_tracker_due(url: str) -> None:
    engine = make_engine(url)
    with Session(engine) as session:
        session.execute(update(Channel).values(next_poll_at=utcnow() - timedelta(seconds=1)))
        session.commit()
    engine.dispose()


def make_reader_database(path: Path, urls: list[str]) -> str:
    from reader import make_reader  # the optional `bench` extra

    reader = make_reader(str(path))
    for feed_url in urls:
        reader.add_feed(feed_url)
    reader.close()
    return str(path)


def reader_entries(path: str) -> int:
    from reader import make_reader

    reader = make_reader(path)
    try:
        return reader.get_entry_counts().total
    finally:
        reader.close()


class Run:
    """One poll, timed as a command: wall time, the time it reports itself, what it did."""

    def __init__(self, command: list[str], env: dict[str, str], cwd: str) -> None:
        self.load = os.getloadavg()[0]
        self.seconds, self.output = time_command(command, env, cwd)
        inside = re.search(r" in ([0-9.]+) s", self.output)
        self.inside = float(inside.group(1)) if inside else float("nan")
        self.answers: dict[int, int] = {}
        self.note = ""


def poll_tracker(url: str, workers: int, folder: str) -> Run:
    env = {**os.environ, "TRACKER_DATABASE_URL": url, "TRACKER_ALLOW_PRIVATE_FEEDS": "true"}
    run = Run([str(BIN / "tracker"), "feeds", "poll", "--workers", str(workers)], env, folder)
    run.note = run.output.strip().split(": ", 1)[-1]
    return run


def poll_reader(path: str, workers: int, folder: str) -> Run:
    script = str(HERE / "reader_update.py")
    run = Run([sys.executable, script, path, "--workers", str(workers)], dict(os.environ), folder)
    run.note = f"{reader_entries(path)} entries stored"
    return run


PHASES = ("cold (all new)", "warm (all 304)", "10 % changed")
POLLERS = ("tracker", "reader")


def one_round(server: Server, args, number: int, urls: list[str]) -> dict[tuple, Run]:
    """Poll cold, warm and 10 % changed with both pollers; return each Run by (phase, poller)."""
    runs: dict[tuple, Run] = {}
    with tempfile.TemporaryDirectory() as folder:
        tracker_db = make_tracker_database(Path(folder) / "tracker.sqlite3", urls)
        reader_db = make_reader_database(Path(folder) / "reader.sqlite3", urls)
        order = POLLERS if number % 2 else POLLERS[::-1]
        for phase in PHASES:
            if phase == PHASES[2]:
                changed = random.Random(number).sample(range(args.feeds), args.feeds // 10)
                server.get(f"/_change/{','.join(map(str, changed))}")
            if phase != PHASES[0]:
                make_tracker_due(tracker_db)
            server.answers()
            for poller in order:
                if poller == "tracker":
                    run = poll_tracker(tracker_db, args.workers, folder)
                else:
                    run = poll_reader(reader_db, args.workers, folder)
                run.answers = server.answers()
                runs[(phase, poller)] = run
    return runs


def print_round(runs: dict[tuple, Run]) -> None:
    print(f"  {'':<16} {'tracker: command / inside':>27}  {'reader: command / inside':>26}")
    for phase in PHASES:
        cells = []
        for poller in POLLERS:
            run = runs[(phase, poller)]
            cells.append(f"{run.seconds:6.2f} s / {run.inside:5.2f} s (load {run.load:4.1f})")
        print(f"  {phase:<16} {cells[0]:>27}  {cells[1]:>26}")
    for phase in PHASES:
        for poller in POLLERS:
            run = runs[(phase, poller)]
            answers = f"{run.answers.get(200, 0)} x 200, {run.answers.get(304, 0)} x 304"
            print(f"    {phase:<16} {poller:<8} server: {answers}; {run.note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=300)
    parser.add_argument("--entries", type=int, default=50)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--bare", action="store_true", help="Time bare feedparser.parse too.")
    args = parser.parse_args()

    feeds = Feeds(args.feeds, args.entries)
    size = sum(len(body) for body in feeds.bodies.values())
    print(
        f"{args.feeds} feeds x {args.entries} entries, {size / 1e6:.1f} MB of XML, "
        f"{args.workers} workers"
    )
    bare = None
    if args.bare:
        started, load = time.perf_counter(), os.getloadavg()[0]
        parsed = sum(len(feedparser.parse(body).entries) for body in feeds.bodies.values())
        bare = time.perf_counter() - started
        print(f"bare feedparser.parse of all: {bare:.2f} s ({parsed} entries, load {load:.1f})")
    server = Server(args.feeds, args.entries)
    rounds = []
    try:
        urls = [f"{server.base}/{n}.xml" for n in range(args.feeds)]
        for number in range(1, args.rounds + 1):
            print(f"round {number}")
            rounds.append(one_round(server, args, number, urls))
            print_round(rounds[-1])
    finally:
        server.stop()

    print(f"median of {args.rounds} rounds, as commands (the same-round ratio tracker/reader)")
    behind = []
    for phase in PHASES:
        tracker = statistics.median(r[(phase, "tracker")].seconds for r in rounds)
        reader = statistics.median(r[(phase, "reader")].seconds for r in rounds)
        ratio = statistics.median(
            r[(phase, "tracker")].seconds / r[(phase, "reader")].seconds for r in rounds
        )
        target = phase != PHASES[2]
        verdict = ("met" if ratio <= 1 else "MISSED") if target else "no target"
        if verdict == "MISSED":
            behind.append(phase)
        print(
            f"  {phase:<16} tracker {tracker:6.2f} s  reader {reader:6.2f} s  "
            f"tracker/reader {ratio:4.2f} (target <= 1: {verdict})"
        )
    cold = statistics.median(r[(PHASES[0], "tracker")].inside for r in rounds)
    warm = statistics.median(r[(PHASES[1], "tracker")].inside for r in rounds)
    versus_bare = f"cold / bare parse = {cold / bare:.2f} (issue 4: <= 1.5); " if bare else ""
    print(f"  tracker inside: {versus_bare}warm {args.feeds / warm:.0f} feeds/s (issue 4: >= 300)")
    sys.exit(1 if behind else 0)


if __name__ == "__main__":
    main()
