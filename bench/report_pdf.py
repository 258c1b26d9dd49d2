"""Print how long a busy month's PDF report takes, and how much of it is WeasyPrint.

Usage: python bench/report_pdf.py [--runs N] [--keep FILE.pdf] [--updates N]

Loads the demo into a fresh SQLite database, adds a busy month (60 updates, 500
feedback comments, 10 milestones that are reached, started and slipped within it),
then renders the month's report as the dashboard does: gather the data, render the
template, lay the PDF out in a forked child with the time limit. In the same run it
lays out the very same final HTML with WeasyPrint alone, in this process, and prints
both (median of the runs, after one warm-up) and their ratio.
Targets: total <= 1.5 s and total / WeasyPrint <= 1.3 on a 2-core machine.

With --updates N the month gets N more updates (bulk inserted, every tenth about a
milestone) and the report is made once, as the dashboard's export does, in a fresh
process: it prints the time, the peak memory of that process (data and templates) and of
the forked renderer, and how many updates the report lists. The issue's month had 120,000.
"""

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))  # run from a checkout without installing the package

from sqlalchemy import func, insert, select, update  # noqa: E402
from sqlmodel import Session  # noqa: E402

from tracker import create_app  # noqa: E402
from tracker.campaigns.campaigns import find_campaign  # noqa: E402
from tracker.campaigns.milestones import MilestoneInput, add_milestone, change_milestone  # noqa: E402
from tracker.db import make_engine  # noqa: E402
from tracker.demo.loader import load_demo  # noqa: E402
from tracker.feeds.channels import create_channel  # noqa: E402
from tracker.feeds.parsing import FeedEntry  # noqa: E402
from tracker.feeds.store import store_entries  # noqa: E402
from tracker.models import Actor, Entry, EntryMilestone, Milestone  # noqa: E402
from tracker.reports.pdf import PdfError, render_pdf  # noqa: E402
from tracker.reports.periods import month_period  # noqa: E402
from tracker.schema import upgrade  # noqa: E402
from tracker.views.report_document import (  # noqa: E402
    ReportRequest,
    build_report,
    export_pdf,
    render_report_html,
)

TARGET_TOTAL_S = 1.5
TARGET_RATIO = 1.3
UPDATES, COMMENTS, MILESTONES = 60, 500, 10
NOTE = (
    "## What a month\n\nWe shipped the **firmware beta**, moved the case supplier and read "
    "every one of your comments. Thank you!\n\n- beta 3 is out\n- DVT boards ordered\n"
)
COMMENT_TEXTS = (
    "Love the sequencer demo, can't wait!",
    "When will the beta firmware reach backers?",
    "Shipping to Germany is too expensive :(",
    "Great update, thanks for being so open.",
    "Is the case going to be aluminium or plastic?",
)


def entry(key: str, text: str, at: datetime, *, tags=(), author=None) -> FeedEntry:
    return FeedEntry(
        key=key,
        title=text[:80],
        link=f"https://social.example/{key}",
        author=author,
        content_html=f"<p>{text}</p>",
        summary_text=text,
        published_at=at,
        published_guessed=False,
        engagement={},
        tags=tuple(tags),
    )


def add_busy_month(session: Session, campaign, month_start: date, today: date) -> None:
    """Add 10 milestones, 60 updates and 500 comments inside the month."""
    now = datetime.combine(today, datetime.min.time(), tzinfo=UTC)
    days = max((today - month_start).days, 1)
    actor = Actor(label="bench")
    for i in range(MILESTONES):
        milestone = add_milestone(
            session,
            campaign,
            MilestoneInput(
                title=f"Busy milestone {i + 1}",
                tag=f"busy{i + 1}",
                due_on=month_start + timedelta(days=i % days),
                status="planned",
            ),
            actor=actor,
        )
        if i % 3 == 0:
            change_milestone(session, milestone, actor=actor, status="done")
        elif i % 3 == 1:
            change_milestone(session, milestone, actor=actor, status="in_progress")
        else:
            change_milestone(session, milestone, actor=actor, due_on=today + timedelta(days=30))
    updates = create_channel(
        session, campaign, role="updates", kind="direct", feed_url="https://bench.example/u.rss"
    )
    store_entries(
        session,
        updates,
        [
            entry(
                f"guid:u{i}",
                f"Devlog {i + 1}: progress on #busy{i % MILESTONES + 1}",
                now - timedelta(hours=(i * days * 24) // UPDATES + 1),
                tags=(f"busy{i % MILESTONES + 1}",),
            )
            for i in range(UPDATES)
        ],
        now=now,
    )
    feedback = create_channel(
        session, campaign, role="feedback", kind="direct", feed_url="https://bench.example/f.rss"
    )
    store_entries(
        session,
        feedback,
        [
            entry(
                f"guid:f{i}",
                f"{COMMENT_TEXTS[i % len(COMMENT_TEXTS)]} ({i})",
                now - timedelta(minutes=(i * days * 24 * 60) // COMMENTS + 1),
                author=f"@fan{i % 40}@social.example",
            )
            for i in range(COMMENTS)
        ],
        now=now,
    )
    _answer_questions(session, campaign)
    session.commit()


def _answer_questions(session: Session, campaign) -> None:
    try:
        from tracker.models import Feedback
    except ImportError:  # the feedback area is not installed: comments stay unscored
        return
    session.execute(
        update(Feedback)
        .where(Feedback.campaign_id == campaign.id, Feedback.category == "question")
        .values(state="answered")
    )


def add_many_updates(session: Session, campaign, month_start: date, n: int) -> None:
    """Bulk-insert n updates spread over the month, every tenth linked to a milestone."""
    channel = create_channel(
        session, campaign, role="updates", kind="direct", feed_url="https://bench.example/m.rss"
    )
    milestones = session.scalars(
        select(Milestone.id).where(Milestone.campaign_id == campaign.id, Milestone.is_public)
    ).all()
    start = datetime.combine(month_start, datetime.min.time(), tzinfo=UTC)
    seconds = max(int((datetime.now(UTC) - start).total_seconds()) - 60, 1)
    first_id = (session.scalar(select(func.max(Entry.id))) or 0) + 1
    for chunk in range(0, n, 10_000):  # chunks keep this process small before we measure
        rows = [
            {
                "id": first_id + i,
                "channel_id": channel.id,
                "campaign_id": campaign.id,
                "key": f"guid:many{i}",
                "title": f"Build log {i + 1}: soldering, testing, packing",
                "link": f"https://bench.example/many/{i}",
                "summary_text": "Another day at the bench.",
                "content_html": "<p>Another day at the bench.</p>",
                "published_at": start + timedelta(seconds=(i * seconds) // n),
                "first_seen_at": start + timedelta(seconds=(i * seconds) // n),
            }
            for i in range(chunk, min(chunk + 10_000, n))
        ]
        session.execute(insert(Entry), rows)
        links = [
            {"entry_id": row["id"], "milestone_id": milestones[i % len(milestones)], "how": "tag"}
            for i, row in enumerate(rows)
            if milestones and i % 10 == 0
        ]
        if links:
            session.execute(insert(EntryMilestone), links)
    session.commit()


def measure_once(url: str, month: str) -> None:
    """Make the month's report once, as the export does, and print time and peak memory."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True})
    today = datetime.now(UTC).date()
    with app.app_context(), Session(app.extensions["tracker.engine"]) as session:
        campaign = find_campaign(session, "lumen-deck")
        started = time.perf_counter()
        report = build_report(
            session, campaign, ReportRequest(period=month_period(month), note_md=NOTE), today=today
        )
        gathered = time.perf_counter() - started
        listed = sum(len(group.updates) for group in report.updates)
        try:
            rendered = export_pdf(report)
            outcome = f"{rendered.pages} pages, {len(rendered.data) // 1024} KB"
        except PdfError as error:
            outcome = f"failed: {error}"
        total = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
    print(
        f"report of {month}: {report.update_count} updates, {listed} listed; {outcome}\n"
        f"time: {gathered:.2f} s to gather, {total:.2f} s in all "
        f"(limit {app.config['REPORT_TIMEOUT_SECONDS']} s)\n"
        f"peak memory: {own} MB in this process, {child} MB in the renderer"
    )


def timed(function, runs: int) -> tuple[float, object]:
    function()  # warm-up: first-use costs (fonts, templates) are not what we measure
    durations, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        durations.append(time.perf_counter() - started)
    return statistics.median(durations), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the PDF here")
    parser.add_argument("--updates", type=int, default=0, help="add this many updates")
    parser.add_argument("--measure", nargs=2, metavar=("URL", "MONTH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure_once(*args.measure)
        return
    folder = Path(tempfile.mkdtemp(prefix="report-bench-"))
    url = f"sqlite:///{folder / 'tracker.sqlite3'}"
    upgrade(make_engine(url))
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "TESTING": True})
    today = datetime.now(UTC).date()
    period = month_period(today.strftime("%Y-%m"))
    with app.app_context(), Session(app.extensions["tracker.engine"]) as session:
        load_demo(session, today=today)
        session.commit()
        campaign = find_campaign(session, "lumen-deck")
        add_busy_month(session, campaign, period.start, today)
        if args.updates:
            add_many_updates(session, campaign, period.start, args.updates)
    if args.updates:
        # A fresh process, so that its peak memory is the report's and not the set-up's.
        month = f"{period.start:%Y-%m}"
        subprocess.run([sys.executable, __file__, "--measure", url, month], check=True)
        return
    with app.app_context(), Session(app.extensions["tracker.engine"]) as session:
        campaign = find_campaign(session, "lumen-deck")
        request = ReportRequest(period=period, note_md=NOTE)

        def whole():
            report = build_report(session, campaign, request, today=today)
            return report, export_pdf(report)

        total, (report, rendered) = timed(whole, args.runs)
        final_html = render_report_html(report, for_pdf=True, toc=rendered.pages > 3)
        metadata_source = export_metadata(report)
        weasy, alone = timed(lambda: render_pdf(final_html, metadata=metadata_source), args.runs)
    if args.keep:
        args.keep.write_bytes(rendered.data)
    print(
        f"report of {period.start:%Y-%m}: {rendered.pages} pages, {len(rendered.data) // 1024} KB, "
        f"{report.update_count} updates, "
        f"{report.feedback.volume if report.feedback else 0} comments"
    )
    print(f"total, data + template + forked render: {total:.3f} s (target <= {TARGET_TOTAL_S})")
    print(f"WeasyPrint alone, same HTML, in process: {weasy:.3f} s ({alone.pages} pages)")
    print(f"ratio total / WeasyPrint: {total / weasy:.2f} (target <= {TARGET_RATIO})")


def export_metadata(report):
    from tracker.reports.pdf import PdfMetadata

    return PdfMetadata(title="bench", author=report.campaign.title, subject="bench", language="en")


if __name__ == "__main__":
    main()
