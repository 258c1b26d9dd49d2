"""`tracker feeds` and `tracker channels` through the CLI runner, failures included."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.factories import make_campaign
from tests.factories.feeds import RSS, make_channel, rss
from tests.feed_server import FeedServer
from tracker.models import Channel, Entry, FollowerSnapshot


@pytest.fixture(autouse=True)
def local_feeds(app):
    app.config["ALLOW_PRIVATE_FEEDS"] = True  # the test feed server listens on 127.0.0.1


def _one_line_failure(result) -> str:
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert lines[-1].startswith("Error: ")
    return lines[-1]


def test_add_resolves_a_pattern_without_fetching(cli, session):
    campaign = make_campaign(session)
    result = cli("feeds", "add", campaign.slug, "r/synth", "--role", "updates")
    assert result.exit_code == 0, result.output
    assert "https://www.reddit.com/r/synth/.rss [reddit, updates]" in result.output
    channel = session.scalars(select(Channel)).one()
    assert channel.source_url == "r/synth" and channel.polled


def test_add_discovers_through_the_guarded_fetcher(cli, session):
    campaign = make_campaign(session)
    with FeedServer() as server:
        server.route("/feed.rss", body=rss(("a", "A")), headers=RSS)
        result = cli("feeds", "add", campaign.slug, server.url("/feed.rss"), "--role", "feedback")
    assert result.exit_code == 0, result.output
    assert "[direct, feedback]" in result.output


def test_add_refuses_private_addresses_unless_allowed(app, cli, session):
    campaign = make_campaign(session)
    app.config["ALLOW_PRIVATE_FEEDS"] = False
    with FeedServer() as server:
        server.route("/feed.rss", body=rss(("a", "A")), headers=RSS)
        result = cli("feeds", "add", campaign.slug, server.url("/feed.rss"), "--role", "updates")
        assert server.requests == []
    line = _one_line_failure(result)
    assert "no feed found" in line and "refused" in line


def test_add_a_feedless_profile_keeps_it_by_hand(cli, session):
    campaign = make_campaign(session)
    result = cli("feeds", "add", campaign.slug, "https://x.com/lumendeck", "--role", "updates")
    assert result.exit_code == 0, result.output
    assert "kept by hand" in result.output


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["feeds", "add", "nope", "https://a.example/feed.rss", "--role", "updates"], "not found"),
        (["feeds", "add", "{slug}", "mailto:a@b.example", "--role", "updates"], "no feed found"),
        (["feeds", "add", "{slug}", "x", "--role", "fans"], "Invalid value"),
        (["feeds", "list", "nope"], "not found"),
        (["channels", "followers", "{slug}", "99", "10"], "not found: channel 99"),
        (["channels", "followers", "{slug}", "1", "--", "-3"], "Invalid value"),
        (["feeds", "resume", "{slug}", "https://none.example/"], "not found"),
        # Issue 10, item 7: no traceback for any of these.
        (["feeds", "add", "{slug}", "http://[::1", "--role", "updates"], "url: "),
        (["feeds", "resume", "{slug}", "2147483648"], "at most 2147483647"),
        (["feeds", "resume", "{slug}", "99999999999999999999999"], "at most 2147483647"),
        (["feeds", "resume", "{slug}", "\u00b2"], "not found: channel"),
        (["channels", "followers", "{slug}", "2147483648", "5"], "at most 2147483647"),
        (["channels", "followers", "{slug}", "1", "99999999999999999999"], "at most"),
    ],
)
def test_bad_input_fails_with_one_line(cli, session, args, reason):
    campaign = make_campaign(session)
    line = _one_line_failure(cli(*(a.format(slug=campaign.slug) for a in args)))
    assert reason in line


def test_poll_shows_progress_and_a_summary(cli, session):
    campaign = make_campaign(session)
    with FeedServer() as server:
        server.route("/a", body=rss(("a1", "A"), ("a2", "B")), headers=RSS)
        server.route("/b", status=500)
        make_channel(session, campaign, feed_url=server.url("/a"))
        make_channel(session, campaign, feed_url=server.url("/b"))
        result = cli("feeds", "poll", "--workers", "2")
    assert result.exit_code == 0, result.output
    assert "polled 2 channels" in result.output
    assert "1 changed, 0 not modified, 1 failed (0 paused), 2 new entries" in result.output
    assert session.scalar(select(func.count()).select_from(Entry)) == 2


def test_list_text_and_json(cli, session):
    campaign = make_campaign(session)
    channel = make_channel(session, campaign, feed_url="https://a.example/f.rss")
    channel.consecutive_errors, channel.last_error = 2, "HTTP 500"
    session.add(channel)
    session.commit()
    text = cli("feeds", "list", campaign.slug)
    assert text.exit_code == 0, text.output
    assert "https://a.example/f.rss" in text.output and "last error: HTTP 500" in text.output
    listed = cli("feeds", "list", campaign.slug, "--json")
    assert listed.exit_code == 0, listed.output
    records = json.loads(listed.output)
    assert records[0]["url"] == "https://a.example/f.rss"
    assert (records[0]["role"], records[0]["state"], records[0]["entries"]) == (
        "updates",
        "active",
        0,
    )
    assert records[0]["last_error"] == "HTTP 500"


def test_import_opml_reports_bad_outlines(cli, session, tmp_path):
    campaign = make_campaign(session)
    path = tmp_path / "subs.opml"
    path.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head/><body>'
        '<outline text="Folder"><outline text="Good" xmlUrl="https://a.example/f.rss"/></outline>'
        '<outline text="No URL"/>'
        '<outline text="Bad" xmlUrl="javascript:alert(1)"/>'
        "</body></opml>"
    )
    result = cli("feeds", "import-opml", campaign.slug, str(path), "--role", "updates")
    assert result.exit_code == 0, result.output
    assert "outline 3 ('No URL'): no xmlUrl" in result.output
    assert "outline 4 ('Bad'): Use an http or https URL" in result.output
    assert "1 channels added, 2 outlines not used" in result.output


def test_import_opml_refuses_entities_and_garbage(cli, session, tmp_path):
    campaign = make_campaign(session)
    bomb = tmp_path / "bomb.opml"
    bomb.write_text('<!DOCTYPE opml [<!ENTITY a "aaaa">]><opml><body/></opml>')
    line = _one_line_failure(
        cli("feeds", "import-opml", campaign.slug, str(bomb), "--role", "updates")
    )
    assert "declares XML entities" in line
    junk = tmp_path / "junk.opml"
    junk.write_text("not xml at all <")
    line = _one_line_failure(
        cli("feeds", "import-opml", campaign.slug, str(junk), "--role", "updates")
    )
    assert "not valid XML" in line
    assert session.scalar(select(func.count()).select_from(Channel)) == 0


def test_followers_by_id_or_url_with_at(cli, session):
    campaign = make_campaign(session)
    channel = make_channel(session, campaign, feed_url="https://a.example/f.rss")
    assert cli("channels", "followers", campaign.slug, str(channel.id), "120").exit_code == 0
    result = cli(
        "channels",
        "followers",
        campaign.slug,
        "https://a.example/f.rss",
        "150",
        "--at",
        "2026-11-01",
    )
    assert result.exit_code == 0, result.output
    counts = session.scalars(select(FollowerSnapshot.count).order_by(FollowerSnapshot.count)).all()
    assert counts == [120, 150]
    future = cli("channels", "followers", campaign.slug, str(channel.id), "1", "--at", "2999-01-01")
    assert "in the future" in _one_line_failure(future)


def test_followers_at_a_moment_out_of_range_fail_with_one_line(cli, session):
    campaign = make_campaign(session)
    channel = make_channel(session, campaign)
    ancient = cli(
        "channels", "followers", campaign.slug, str(channel.id), "1", "--at", "0001-01-01"
    )
    assert "must lie between 2000-01-01 and 2100-01-01" in _one_line_failure(ancient)
    assert session.scalar(select(func.count()).select_from(FollowerSnapshot)) == 0


def test_import_followers_csv_names_ids_and_dates_out_of_range(cli, session, tmp_path):
    campaign = make_campaign(session)
    channel = make_channel(session, campaign)
    path = tmp_path / "followers.csv"
    path.write_text(
        f"channel,taken_at,count\n99999999999,2026-11-01,10\n{channel.id},0001-01-01,12\n"
        f"{channel.id},2026-11-01,99999999999999999999999\n"
    )
    result = cli("channels", "import-followers", campaign.slug, str(path))
    line = _one_line_failure(result)
    assert "3 bad rows" in line and "line 2, column 'channel' ('99999999999')" in line
    assert "line 3, column 'taken_at' ('0001-01-01')" in result.output
    assert "line 4, column 'count'" in result.output
    assert session.scalar(select(func.count()).select_from(FollowerSnapshot)) == 0


def test_import_followers_csv_with_a_bad_row_saves_nothing(cli, session, tmp_path):
    campaign = make_campaign(session)
    channel = make_channel(session, campaign)
    path = tmp_path / "followers.csv"
    path.write_text(
        f"channel,taken_at,count\n{channel.id},2026-11-01,10\n{channel.id},yesterday,12\n"
    )
    line = _one_line_failure(cli("channels", "import-followers", campaign.slug, str(path)))
    assert "line 3, column 'taken_at' ('yesterday')" in line
    assert session.scalar(select(func.count()).select_from(FollowerSnapshot)) == 0


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_poll_loop_stops_cleanly_on_sigterm(db_url, app, session, tmp_path):
    campaign = make_campaign(session)
    with FeedServer() as server:
        server.route("/a", body=rss(("a1", "A")), headers=RSS)
        make_channel(session, campaign, feed_url=server.url("/a"))
        env = {
            **os.environ,
            "TRACKER_DATABASE_URL": db_url,
            "TRACKER_ALLOW_PRIVATE_FEEDS": "1",
        }
        tracker = Path(sys.executable).with_name("tracker")
        process = subprocess.Popen(
            [str(tracker), "feeds", "poll", "--loop", "--workers", "2"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                if session.scalar(select(func.count()).select_from(Entry)):
                    break
                session.rollback()
                time.sleep(0.1)
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 0, err
    assert "polled 1 channels" in out
    assert "poller stopped" in out
    assert "SIGTERM" in err
