"""A fast start: `tracker --help`, the app and an empty poll import no heavy library (#11).

Each check runs in a fresh interpreter and lists the modules it loaded, so an import
moved back to the top of a module fails here, not only in bench/startup.py.
"""

import importlib
import json
import os
import pkgutil
import re
import subprocess
import sys
from datetime import timedelta

import tracker.cli
from tests.factories import make_campaign
from tests.factories.feeds import RSS, make_channel, rss
from tests.feed_server import FeedServer
from tracker.models import utcnow

# Loaded only by the code that uses them: a PDF, a chart, a share card, a feed parsed,
# a comment scored, Markdown rendered, an Atom feed written, an email checked, a fetch.
# (nh3, a compiled extension, loads in 2 ms and sanitises most pages: it may stay.)
HEAVY = frozenset(
    {
        "weasyprint",
        "fontTools",
        "pygal",
        "PIL",
        "lxml",
        "vaderSentiment",
        "feedparser",
        "markdown_it",
        "feedgen",
        "email_validator",
        "alembic",
    }
)
HEAVY_OR_FEEDS = HEAVY | {"httpx", "httpcore"}
# `tracker --help` lists the commands without creating the app or importing any of them.
APP = frozenset({"sqlalchemy", "sqlmodel", "pydantic", "flask_wtf", "flask_babel", "babel"})
# A cron poll that finds nothing due asks with SQLAlchemy Core alone: no ORM, no models.
ORM = frozenset({"sqlmodel", "pydantic", "flask_wtf", "flask_babel", "babel", "flask_login"})
MODULES = "print(json.dumps(sorted(sys.modules)))"


def _loaded(code: str, env: dict[str, str] | None = None) -> tuple[set[str], str]:
    """Run code in a fresh interpreter; return the modules it loaded and what it printed."""
    result = subprocess.run(
        [sys.executable, "-c", f"import json, sys\n{code}\n{MODULES}"],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    *printed, modules = result.stdout.strip().splitlines()
    return set(json.loads(modules)), "\n".join(printed)


def _tops(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_help_lists_the_commands_without_creating_the_app():
    modules, printed = _loaded(
        "from tracker.cli import main\n"
        "try:\n    main(['--help'])\n"
        "except SystemExit as exit:\n    assert exit.code == 0, exit.code"
    )
    assert re.search(r"\n  feeds +Follow a campaign's feeds and poll them\.", printed)
    assert _tops(modules) & (HEAVY_OR_FEEDS | APP) == set()
    assert {m for m in modules if m.startswith(("tracker.views", "tracker.models"))} == set()


def test_the_command_list_names_every_command_with_its_own_short_help():
    listed = {}
    for info in pkgutil.iter_modules(tracker.cli.__path__):
        module = importlib.import_module(f"tracker.cli.{info.name}")
        for command in getattr(module, "COMMANDS", ()):
            listed[command.name] = (info.name, command.get_short_help_str(10_000))
    assert listed == tracker.cli.COMMAND_MODULES


def test_app_and_an_empty_poll_load_no_heavy_library(db_url):
    modules, printed = _loaded(
        "from tracker import create_app\n"
        "create_app({'REQUIRE_SECRET_KEY': False, 'REQUIRE_PUBLIC_URL': False})\n"
        f"{MODULES}\n"
        "from tracker.cli import main\n"
        "main(['feeds', 'poll'], standalone_mode=False)",
        env={"TRACKER_DATABASE_URL": db_url},
    )
    app_modules, poll_line = printed.splitlines()
    assert _tops(set(json.loads(app_modules))) & HEAVY_OR_FEEDS == set()
    assert poll_line.startswith("polled 0 channels in ")
    assert _tops(modules) & HEAVY_OR_FEEDS == set()


def test_a_cron_poll_with_nothing_due_needs_no_views_no_orm_and_no_models(db_url, session):
    campaign = make_campaign(session)
    later = utcnow() + timedelta(hours=1)
    make_channel(session, campaign, now=later)  # followed, due only in an hour
    modules, printed = _loaded(
        "from tracker.cli import main\nmain(['feeds', 'poll'], standalone_mode=False)",
        env={"TRACKER_DATABASE_URL": db_url},
    )
    assert printed.startswith("polled 0 channels in ")
    assert _tops(modules) & (HEAVY_OR_FEEDS | ORM) == set()
    assert "sqlalchemy.orm" not in modules
    assert {m for m in modules if m.startswith(("tracker.views", "tracker.models"))} == set()


def test_a_cron_poll_where_every_feed_answers_304_loads_no_orm_models_or_parser(db_url, session):
    campaign = make_campaign(session)
    with FeedServer() as server:
        server.route("/a", body=rss(("a1", "A")), headers=RSS, etag='"v1"')
        channel = make_channel(session, campaign, feed_url=server.url("/a"))
        channel.etag = '"v1"'
        session.commit()
        modules, printed = _loaded(
            "from tracker.cli import main\nmain(['feeds', 'poll'], standalone_mode=False)",
            env={"TRACKER_DATABASE_URL": db_url, "TRACKER_ALLOW_PRIVATE_FEEDS": "1"},
        )
    assert "0 changed, 1 not modified, 0 failed" in printed
    assert _tops(modules) & (HEAVY | ORM) == set()
    assert "sqlalchemy.orm" not in modules
    assert {m for m in modules if m.startswith(("tracker.views", "tracker.models"))} == set()
    for module in ("parsing", "store", "milestone_links"):
        assert f"tracker.feeds.{module}" not in modules
    assert "tracker.feedback.scoring" not in modules
    session.refresh(channel)
    assert channel.last_success_at is not None and channel.next_poll_at > utcnow()
