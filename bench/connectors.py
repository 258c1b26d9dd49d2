"""Poll 200 connector channels across seven platform APIs served locally, against the RSS
poll of 200 feeds as the baseline, in the same run.

    .venv/bin/python bench/connectors.py [--channels 200] [--workers 4]

The APIs answer from the tests' hand-written fixtures (tests/data/connectors/, times
moved to now) on a FeedServer on 127.0.0.1: Kickstarter's stats.json, Mastodon,
Bluesky, GitHub, Hacker News (Algolia items), Reddit and Open Collective's GraphQL API
(a collective of 150 contributions: two pages of 100), the channels spread evenly over
them. Each campaign holds one channel per
platform, so the same fixture serves every campaign. The baseline: as many RSS feeds of
20 entries, each with its ETag. Two passes over a fresh SQLite database:
  cold   every channel is new: every post, reply and count is stored;
  warm   the same documents again: conditional GETs answer 304 where the API has
         validators (Kickstarter, GitHub, HN, Reddit, RSS); Mastodon and Bluesky read
         their lists again but no thread whose replies count did not change; Open
         Collective (POST, no validators) asks for the first page only, whose
         transactions it has all read before.
Printed per pass and platform: channels polled per second of the whole pass, requests
made per channel (the server counts them by path), and the requests a channel needs
at least (one per document the API splits its data into: no N+1 calls for a post's
counts when a list call carries them).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import update
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests' fixtures and server

from tests.connectors.opencollective_server import CollectiveApi, serve_collective
from tests.connectors.social_server import serve_bluesky, serve_mastodon
from tests.feed_server import FeedServer, Route
from tracker.accounts.users import create_user
from tracker.campaigns.campaigns import CampaignInput, create_campaign
from tracker.connectors.channels import add_connector_channel
from tracker.db import make_engine
from tracker.feeds.channels import create_channel
from tracker.feeds.fetch_policy import FetchPolicy
from tracker.feeds.poller import poll_due
from tracker.models import Channel, utcnow
from tracker.schema import upgrade

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "connectors"
JSON = {"Content-Type": "application/json; charset=utf-8"}
RSS = {"Content-Type": "application/rss+xml; charset=utf-8"}
KINDS = ("kickstarter", "mastodon", "bluesky", "github", "hackernews", "reddit", "opencollective")
# The requests one poll of a channel needs at least, per kind: Mastodon lookup, statuses
# (two pages in the fixture) and a thread per post with replies (two); Bluesky profile,
# author feed (two pages), two threads and one getProfiles for the repliers.
NEEDED = {
    "kickstarter": "1",
    "mastodon": "1 + 2 pages + 2 threads (cold), 1 + 2 pages (warm)",
    "bluesky": "1 + 2 pages + 2 threads + 1 profiles (cold), 1 + 2 pages (warm)",
    "github": "1",
    "hackernews": "1",
    "reddit": "1",
    "opencollective": "2 pages of transactions (cold), 1 (warm)",
    "rss": "1",
}


def _platform(path: str) -> str:
    for prefix, kind in (
        ("/projects/", "kickstarter"),
        ("/api/v1/", "mastodon"),
        ("/xrpc/", "bluesky"),
        ("/gh/", "github"),
        ("/hn/", "hackernews"),
        ("/r/", "reddit"),
        ("/graphql/", "opencollective"),
        ("/rss/", "rss"),
    ):
        if path.startswith(prefix):
            return kind
    return "other"


def _rss(n: int) -> bytes:
    start = datetime.now(UTC) - timedelta(days=2)
    items = "".join(
        f"<item><guid>https://feeds.example/{n}/{i}</guid><title>Post {i} of feed {n}</title>"
        f"<link>https://feeds.example/{n}/{i}</link>"
        f"<pubDate>{(start + timedelta(hours=i)):%a, %d %b %Y %H:%M:%S +0000}</pubDate>"
        f"<description>&lt;p&gt;Prototype {i}: the synth board, the firmware and the "
        f"enclosure, with a photo and a link.&lt;/p&gt;</description></item>"
        for i in range(20)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {n}</title>{items}'
        "</channel></rss>"
    ).encode()


def serve(server: FeedServer, feeds: int) -> tuple[dict[str, str], FetchPolicy]:
    """Route every API and the feeds; return each kind's channel URL and the policy."""
    base = server.url("").rstrip("/")
    now = datetime.now(UTC)
    urls = {
        "mastodon": serve_mastodon(server, now=now),
        "bluesky": serve_bluesky(server, now=now),
        "kickstarter": f"{base}/projects/maker/synth",
        "github": "https://github.com/ada-builds/synth",
        "hackernews": "https://news.ycombinator.com/item?id=4242",
        "reddit": f"{base}/r/synthdiy/comments/1abcde/i_built_a_synth_kit/",
        "opencollective": "https://opencollective.com/synth-collective",
    }

    def answer(name: str) -> Route:
        return Route(body=(DATA / name).read_bytes(), headers=JSON, etag=f'"{name}"')

    server.route("/projects/maker/synth/stats.json", answer("kickstarter_stats.json"))
    server.route("/gh/repos/ada-builds/synth", answer("github_repo.json"))
    server.route("/hn/items/4242", answer("hn_item.json"))
    server.route("/r/synthdiy/comments/1abcde/.json", answer("reddit_post.json"))
    collective = CollectiveApi()
    collective.add(*range(1, 151))
    serve_collective(server, collective)
    for n in range(feeds):
        server.route(f"/rss/{n}.xml", Route(body=_rss(n), headers=RSS, etag=f'"rss-{n}"'))
    policy = FetchPolicy(
        allow_private=True,
        api_urls=(
            ("bluesky", base),
            ("github", f"{base}/gh"),
            ("hackernews", f"{base}/hn"),
            ("opencollective", f"{base}/graphql/v2"),
        ),
    )
    return urls, policy


def make_database(path: Path, urls: dict[str, str], channels: int, feed_base: str | None):
    """Create the channels (connectors, or feeds when feed_base is given)."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    with Session(engine) as session:
        secret = "bench password 1"  # noqa: S105  (a throwaway database)
        owner = create_user(session, email="bench@example.com", password=secret)
        campaigns = {}
        for n in range(channels):
            index = n // len(KINDS)
            if index not in campaigns:
                campaigns[index] = create_campaign(
                    session,
                    owner=owner,
                    data=CampaignInput(
                        slug=f"bench-{index}",
                        title=f"Bench {index}",
                        goal_minor=100_000,
                        currency="EUR",
                        starts_on=utcnow().date(),
                        ends_on=utcnow().date() + timedelta(days=30),
                    ),
                )
            campaign = campaigns[index]
            if feed_base is not None:
                url = f"{feed_base}/rss/{n}.xml"
                create_channel(session, campaign, role="updates", origin="direct", feed_url=url)
            else:
                kind = KINDS[n % len(KINDS)]
                add_connector_channel(session, campaign, url=urls[kind], kind=kind, role="updates")
        session.commit()
    return engine


def run_pass(engine, server: FeedServer, policy: FetchPolicy, workers: int):
    """Poll every channel once; return (seconds, summary, requests per platform)."""
    with Session(engine) as session:
        session.execute(update(Channel).values(next_poll_at=utcnow() - timedelta(seconds=1)))
        session.commit()
    server.requests.clear()
    started = time.perf_counter()
    summary = poll_due(engine, policy=policy, workers=workers)
    seconds = time.perf_counter() - started
    return seconds, summary, Counter(_platform(r.path) for r in server.requests)


def report(label: str, seconds: float, summary, requests: Counter, per_kind: Counter) -> None:
    total = sum(requests.values())
    print(
        f"  {label:5} {summary.polled:4} channels in {seconds:6.2f} s: "
        f"{summary.polled / seconds:7.1f} channels/s, {total / seconds:7.1f} requests/s, "
        f"{summary.updated} changed, {summary.not_modified} not modified, "
        f"{summary.failed} failed, {summary.new_entries} new entries"
    )
    for kind in sorted(per_kind):
        count = per_kind[kind]
        print(
            f"        {kind:14} {count:3} channels, {requests[kind] / count:5.2f} requests "
            f"per channel (needs {NEEDED[kind]})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, FeedServer() as server:
        urls, policy = serve(server, args.channels)
        connectors = make_database(Path(folder) / "connectors.db", urls, args.channels, None)
        feed_base = server.url("").rstrip("/")
        feeds = make_database(Path(folder) / "feeds.db", urls, args.channels, feed_base)
        kinds = Counter(KINDS[n % len(KINDS)] for n in range(args.channels))
        print(f"{args.channels} channels, {args.workers} workers, one local server")
        for name, engine, per_kind in (
            ("connectors", connectors, kinds),
            ("RSS baseline", feeds, Counter({"rss": args.channels})),
        ):
            print(name)
            for label in ("cold", "warm"):
                seconds, summary, requests = run_pass(engine, server, policy, args.workers)
                report(label, seconds, summary, requests, per_kind)
            engine.dispose()


if __name__ == "__main__":
    main()
