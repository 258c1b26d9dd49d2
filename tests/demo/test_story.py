"""The demo tells one coherent story: roadmap and timeline agree on every slip and why, the
team never posts a figure the ledger had not reached yet, one report is published (rendered
by `tracker demo` itself), and the feedback reads like real feedback."""

import re
import shutil
from itertools import pairwise

import pytest
from sqlalchemy import select

from tests.conftest import _worker, drop_schema, postgres_schema_url
from tests.factories.reports import pdf_text
from tracker import create_app
from tracker.campaigns.campaigns import find_campaign
from tracker.campaigns.milestones import history_of, milestones_of, timing_of
from tracker.campaigns.timeline import timeline_page
from tracker.cli import main
from tracker.db import make_engine
from tracker.models import Channel, Entry, Feedback, Pledge, PublishedReport, utcnow
from tracker.pledges.funding import LOST
from tracker.schema import upgrade

# "548 backers", "1,000 backers!", "50 % funded"; a thousands separator is "," or " ".
BACKERS_RE = re.compile(r"(\d{1,3}(?:[, ]\d{3})*|\d+)\s+(?:of you|backers|people)", re.I)
PERCENT_RE = re.compile(r"(\d+)\s?%\s+funded", re.I)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def db_url(request, tmp_path_factory):
    """Return a database of each kind with the demo loaded once for the module's tests.

    Loading it takes 8-13 s; every test here only reads it (`tracker demo` again changes
    nothing), so the module shares one load per database instead of one per test.
    """
    schema = None
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("demo") / "tracker.sqlite3"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        schema = f"demo_{_worker()}"
        url = postgres_schema_url(schema)
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
    folder = tmp_path_factory.mktemp("demo-app")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key",
            "DATABASE_URL": url,
            "QUEUE_URL": f"sqlite:///{folder / 'queue.sqlite3'}",
            "MEDIA_DIR": str(folder / "media"),
            "MAIL_DIR": str(folder / "mail"),
        }
    )
    result = app.test_cli_runner().invoke(main, ["demo"])
    app.extensions["tracker.engine"].dispose()
    assert result.exit_code == 0, result.output
    yield url
    if schema:
        drop_schema(schema)


@pytest.fixture
def demo(session):
    return find_campaign(session, "lumen-deck")


def _number(text: str) -> int:
    return int(re.sub(r"[, ]", "", text))


def test_the_roadmap_and_the_timeline_tell_the_same_slips(session, demo):
    today = utcnow().date()
    roadmap = milestones_of(session, demo.id, public_only=True)
    history = history_of(session, [m.id for m in roadmap])
    timeline = timeline_page(session, demo, limit=500).items
    slips = 0
    for milestone in roadmap:
        timing = timing_of(milestone, history[milestone.id], today)
        told = [
            (item.change[1], item.change[2], item.summary)
            for item in reversed(timeline)
            if item.milestone_id == milestone.id and item.change[0] == "due_on"
        ]
        shown = [(m.to.isoformat(), m.reason) for m in timing.moves]
        assert [(new, why) for _old, new, why in told] == shown, milestone.title
        if told:
            slips += len(told)
            assert told[0][0] == timing.first_planned.isoformat(), milestone.title
            assert told[-1][1] == milestone.due_on.isoformat(), milestone.title
            assert all(why for _old, _new, why in told), f"{milestone.title}: a slip without why"
            for (_old, new, _why), (old, _new, _why2) in pairwise(told):
                assert new == old, f"{milestone.title}: the moves do not follow on"
        elif milestone.status == "done":
            assert timing.completed_on <= today
    assert slips >= 3


def test_posted_figures_never_run_ahead_of_the_ledger(session, demo):
    pledges = session.execute(
        select(Pledge.pledged_at, Pledge.amount_minor, Pledge.status).where(
            Pledge.campaign_id == demo.id
        )
    ).all()
    updates = session.execute(
        select(Entry.title, Entry.summary_text, Entry.content_html, Entry.published_at)
        .join(Channel, Channel.id == Entry.channel_id)
        .where(Entry.campaign_id == demo.id, Channel.role == "updates")
    ).all()
    claims = 0
    for title, summary, content, at in updates:
        text = " ".join(filter(None, (title, summary, re.sub(r"<[^>]+>", " ", content or ""))))
        counted = [p for p in pledges if p.pledged_at <= at and p.status not in LOST]
        backers, pledged = len(counted), sum(p.amount_minor for p in counted)
        for claimed in BACKERS_RE.findall(text):
            claims += 1
            assert _number(claimed) <= backers, f"{title!r} at {at}: {backers} backers by then"
        for claimed in PERCENT_RE.findall(text):
            claims += 1
            percent = 100 * pledged / demo.goal_minor
            assert int(claimed) <= percent, f"{title!r} at {at}: {percent:.1f} % by then"
        if "live on Kickstarter" in text:
            assert at.date() >= demo.starts_on
    assert claims >= 3  # the story does quote its figures


def test_the_demo_ships_a_published_report_rendered_when_loaded(
    cli, client, session, demo, tmp_path
):
    (report,) = session.scalars(
        select(PublishedReport).where(PublishedReport.campaign_id == demo.id)
    ).all()
    text = " ".join(pdf_text(report.pdf, tmp_path).split())
    assert "Lumen Deck" in text and "progress report" in text.lower()
    # The period's slip, with the reason for where it stands now.
    assert "(a freeze on macOS when switching patterns needs a fix first)" in text
    assert report.period_start == demo.starts_on and report.issued_at.date() == utcnow().date()
    listing = client.get_text("/c/lumen-deck/reports")
    assert report.title in listing.replace("&#39;", "'")
    assert cli("demo").exit_code == 0  # idempotent: still the one report
    count = session.scalars(select(PublishedReport).where(PublishedReport.campaign_id == demo.id))
    assert len(count.all()) == 1


def test_the_feedback_reads_like_real_feedback(session, demo):
    rows = session.execute(
        select(Feedback.category, Feedback.label, Feedback.state).where(
            Feedback.campaign_id == demo.id
        )
    ).all()
    categories = {category for category, _label, _state in rows}
    assert {"question", "praise", "criticism"} <= categories
    assert {"positive", "negative"} <= {label for _category, label, _state in rows}
    answered = [row for row in rows if row.state == "answered"]
    assert answered and any(row.category == "question" for row in answered)


def test_the_feedback_storm_answers_something_the_team_said(session, demo):
    def entries(role):
        return session.execute(
            select(Entry.published_at, Entry.summary_text, Feedback.label)
            .join(Channel, Channel.id == Entry.channel_id)
            .outerjoin(Feedback, Feedback.entry_id == Entry.id)
            .where(Entry.campaign_id == demo.id, Channel.role == role)
        ).all()

    # The last hours' criticism is about dearer shipping: the team said so first.
    announced = [at for at, text, _ in entries("updates") if "shipping" in text]
    complaints = [
        at
        for at, text, label in entries("feedback")
        if label == "negative" and re.search(r"shipping|Versand", text)
    ]
    assert announced and complaints and min(complaints) > min(announced)
    # The campaign runs three more weeks: nobody speaks of it as ended or surveyed yet.
    past_the_end = r"campaign ended|after funding|survey|Umfrage"
    assert [text for _, text, _ in entries("feedback") if re.search(past_the_end, text, re.I)] == []
