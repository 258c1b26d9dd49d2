"""A campaign with a known November 2026 for report tests, and PDF readers (poppler)."""

import contextlib
import io
import subprocess
import threading
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from sqlalchemy import insert, update

from tests.factories import make_campaign, make_milestone
from tests.factories.feeds import make_channel
from tracker.campaigns.milestones import change_milestone
from tracker.feeds.parsing import FeedEntry
from tracker.feeds.store import store_entries
from tracker.models import Actor, Entry, Milestone, MilestoneChange
from tracker.pledges.imports import import_pledges

NOVEMBER = "2026-11"
# Pledged in November, net of the refunded one: 250.00 + 1,000.00 EUR from 2 backers.
PLEDGES_CSV = """external_id,amount,currency,pledged_at,tier,status
p-1,100.00,EUR,2026-10-20T10:00:00Z,Early,collected
p-2,250.00,EUR,2026-11-03T10:00:00Z,Kit,collected
p-3,1000.00,EUR,2026-11-15T12:00:00Z,Studio,pledged
p-4,80.00,EUR,2026-11-20T12:00:00Z,Early,refunded
p-5,40.00,EUR,2026-10-25T09:00:00Z,Early,collected
"""
MORE_PLEDGES_CSV = """external_id,amount,currency,pledged_at,tier,status
p-6,500.00,EUR,2026-11-25T10:00:00Z,Kit,collected
"""


def at(day: date, hour: int = 12) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def import_csv(session, campaign, text: str, name: str = "pledges.csv"):
    result = import_pledges(
        session,
        campaign=campaign,
        fileobj=io.BytesIO(text.encode()),
        filename=name,
        fmt="generic",
        actor=Actor(label="test"),
    )
    session.commit()
    return result


def _changed_on(session, milestone, day: date) -> None:
    # Changes are stamped with the real clock; the tests' November is fixed.
    session.execute(
        update(MilestoneChange)
        .where(MilestoneChange.milestone_id == milestone.id)
        .values(changed_at=at(day))
    )
    session.commit()


def update_entry(key: str, title: str, day: date, *, tags=()) -> FeedEntry:
    return FeedEntry(
        key=key,
        title=title,
        link=f"https://blog.example/{key}",
        author=None,
        content_html=f"<p>{title}</p>",
        summary_text=title,
        published_at=at(day),
        published_guessed=False,
        engagement={},
        tags=tuple(tags),
    )


def make_report_campaign(session, owner=None, **overrides):
    """A campaign whose November 2026 has pledges, milestones of every kind and updates."""
    values = {
        "title": "Lumen Deck",
        "goal_minor": 1_000_000,
        "currency": "EUR",
        "starts_on": date(2026, 10, 15),
        "ends_on": date(2026, 12, 15),
        **overrides,
    }
    campaign = make_campaign(session, owner, **values)
    import_csv(session, campaign, PLEDGES_CSV)
    beta = make_milestone(
        session, campaign, title="Firmware beta", tag="beta", due_on=date(2026, 11, 10)
    )
    change_milestone(session, beta, actor=Actor(label="test"), due_on=date(2026, 12, 5))
    session.commit()
    _changed_on(session, beta, date(2026, 11, 8))
    proto = make_milestone(
        session,
        campaign,
        title="Prototype board",
        tag="proto",
        due_on=date(2026, 11, 1),
        status="done",
        completed_on=date(2026, 11, 5),
    )
    _changed_on(session, proto, date(2026, 11, 5))
    case = make_milestone(
        session, campaign, title="Case design", tag="case", due_on=date(2027, 1, 20)
    )
    _changed_on(session, case, date(2026, 10, 1))
    change_milestone(session, case, actor=Actor(label="test"), status="in_progress", progress=30)
    session.commit()
    session.execute(
        update(MilestoneChange)
        .where(MilestoneChange.milestone_id == case.id, MilestoneChange.new_value == "in_progress")
        .values(changed_at=at(date(2026, 11, 12)))
    )
    session.commit()
    secret = make_milestone(
        session,
        campaign,
        title="Secret supplier deal",
        tag="secret",
        due_on=date(2026, 11, 9),
        is_public=False,
    )
    change_milestone(session, secret, actor=Actor(label="test"), due_on=date(2026, 12, 24))
    session.commit()
    _changed_on(session, secret, date(2026, 11, 9))
    make_milestone(session, campaign, title="Shipping", tag="ship", due_on=date(2027, 3, 1))
    channel = make_channel(session, campaign, role="updates")
    store_entries(
        session,
        channel,
        [
            update_entry("u1", "Beta build 3 is out #beta", date(2026, 11, 9), tags=("beta",)),
            update_entry("u2", "Prototype board works #proto", date(2026, 11, 5), tags=("proto",)),
            update_entry("u3", "Behind the scenes at the studio", date(2026, 11, 21)),
            update_entry("u4", "Supplier call went well #secret", date(2026, 11, 22)),
            update_entry("u0", "Launch day recap", date(2026, 10, 16)),
        ],
        now=at(date(2026, 11, 30)),
    )
    session.commit()
    return campaign


def add_many_updates(session, channel, count: int, day: date) -> None:
    """Bulk-insert count updates of the channel over the day, a minute apart."""
    start = at(day, 0)
    session.execute(
        insert(Entry),
        [
            {
                "channel_id": channel.id,
                "campaign_id": channel.campaign_id,
                "key": f"guid:many-{i}",
                "title": f"Build log {i + 1}",
                "summary_text": f"Build log {i + 1}",
                "published_at": start + timedelta(minutes=i),
                "first_seen_at": start + timedelta(minutes=i),
            }
            for i in range(count)
        ],
    )
    session.commit()


def add_many_reached_milestones(session, campaign, count: int, day: date) -> None:
    """Bulk-insert count public milestones, done on the day."""
    now = at(day)
    session.execute(
        insert(Milestone),
        [
            {
                "campaign_id": campaign.id,
                "title": f"Solder joint {i + 1}",
                "due_on": day,
                "status": "done",
                "completed_on": day,
                "position": 1000 + i,
                "created_at": now,
                "updated_at": now,
            }
            for i in range(count)
        ],
    )
    session.commit()


def pdf_text(data: bytes, tmp_path) -> str:
    """Return the PDF's text as pdftotext reads it (layout kept, so lines stay whole)."""
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_tool(tool: str, data: bytes, tmp_path, *args) -> str:
    """Return what a poppler tool (pdfinfo, pdffonts) prints about the PDF."""
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run(
        [tool, *args, str(path)], capture_output=True, text=True, check=True
    ).stdout


@contextlib.contextmanager
def recording_server():
    """Serve on 127.0.0.1 and record every path asked for: a report must ask for none."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", hits
    finally:
        server.shutdown()
        thread.join()
