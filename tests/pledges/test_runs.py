"""Imports run in committed batches behind a record: others write meanwhile, one runs at once."""

import io
import logging
import re
import sqlite3
import threading
from datetime import timedelta

import pytest
import requests
from sqlalchemy import func, select
from sqlmodel import Session

from tests.factories import PASSWORD, make_campaign, make_milestone, make_user
from tracker.models import Actor, Campaign, Pledge, PledgeImport, utcnow
from tracker.pledges.imports import BATCH, ImportBusy, import_pledges

TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"')
# How long a paused import waits to be released: a test that forgets fails, never hangs.
PAUSE_LIMIT = 20


def generic_csv(rows: int) -> bytes:
    """Return a generic pledge CSV of `rows` pledges of 5.00 EUR."""
    lines = ["external_id,amount,currency,pledged_at,tier,status\n"]
    lines += [f"p-{i},5.00,EUR,2026-11-{1 + i % 20:02d},Kit,collected\n" for i in range(rows)]
    return "".join(lines).encode()


class PausedImport(threading.Thread):
    """Import a file in its own session and thread, pausing after the first committed batch."""

    def __init__(self, app, campaign_id: int, data: bytes) -> None:
        super().__init__(daemon=True)
        self.app, self.campaign_id, self.data = app, campaign_id, data
        self.paused, self.release = threading.Event(), threading.Event()
        self.result = self.error = None

    def _after_batch(self, _rows: int) -> None:
        if not self.paused.is_set():
            self.paused.set()
            self.release.wait(PAUSE_LIMIT)

    def run(self) -> None:
        engine = self.app.extensions["tracker.engine"]
        with Session(engine, expire_on_commit=False) as session:
            try:
                self.result = import_pledges(
                    session,
                    campaign=session.get(Campaign, self.campaign_id),
                    fileobj=io.BytesIO(self.data),
                    filename="report.csv",
                    actor=Actor(label="thread"),
                    on_rows=self._after_batch,
                )
                session.commit()
            except Exception as error:  # reported to the test, which asserts on it
                self.error = error
            finally:
                self.paused.set()


def _token(http: requests.Session, url: str) -> str:
    page = http.get(url, allow_redirects=False)
    assert page.status_code == 200, url
    return TOKEN.search(page.text).group(1)


def log_in(live_server: str, email: str) -> requests.Session:
    http = requests.Session()
    token = _token(http, f"{live_server}/auth/login")
    response = http.post(
        f"{live_server}/auth/login",
        data={"csrf_token": token, "email": email, "password": PASSWORD},
        allow_redirects=False,
    )
    assert response.status_code == 303, response.text[-300:]
    return http


def edit_milestone(http, live_server, milestone, due_on: str) -> requests.Response:
    url = f"{live_server}/dashboard/synth/milestones/{milestone.id}/edit"
    return http.post(
        url,
        data={
            "csrf_token": _token(http, url),
            "title": milestone.title,
            "due_on": due_on,
            "status": "planned",
        },
        allow_redirects=False,
    )


def upload(http, live_server, data: bytes) -> requests.Response:
    url = f"{live_server}/dashboard/synth/funding/"
    return http.post(
        f"{url}import",
        data={"csrf_token": _token(http, url), "format": "auto"},
        files={"report": ("report.csv", data, "text/csv")},
        allow_redirects=False,
    )


def _count(session, model) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()


ROWS = 10 * BATCH


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # PostgreSQL locks rows only
def test_logins_and_edits_go_through_during_a_large_import(app, live_server, session):
    founder = make_user(session)
    campaign = make_campaign(session, owner=founder, slug="synth", currency="EUR")
    milestone = make_milestone(session, campaign, title="Beta")
    visitor = make_user(session)
    # Ten batches show that writes go through between every two of them; 100,000 rows
    # (50 batches) proved the same at five times the cost.
    run = PausedImport(app, campaign.id, generic_csv(ROWS))
    run.start()
    assert run.paused.wait(120)
    try:
        # Paused between two batches: a writer that held the file for the whole import
        # made these wait out the busy timeout and answer 500 "database is locked".
        log_in(live_server, visitor.email)
        editor = log_in(live_server, founder.email)
        assert edit_milestone(editor, live_server, milestone, "2027-03-01").status_code == 303
    finally:
        run.release.set()
    days = iter(range(2, 29))
    while run.is_alive():  # and while the remaining batches are written
        day = next(days, 28)
        response = edit_milestone(editor, live_server, milestone, f"2027-03-{day:02d}")
        assert response.status_code == 303
    run.join()
    assert run.error is None, run.error
    assert (run.result.created, run.result.rejected) == (ROWS, 0)
    assert _count(session, Pledge) == ROWS
    record = session.execute(select(PledgeImport)).scalar_one()
    assert (record.status, record.created) == ("done", ROWS)


def test_a_second_import_while_one_runs_is_refused_like_a_bad_file(app, live_server, session):
    founder = make_user(session)
    campaign = make_campaign(session, owner=founder, slug="synth", currency="EUR")
    data = generic_csv(5_000)
    run = PausedImport(app, campaign.id, data)
    run.start()
    assert run.paused.wait(60)
    try:
        http = log_in(live_server, founder.email)
        response = upload(http, live_server, data)
        assert response.status_code == 422, response.text[-500:]
        assert "An import of this campaign is running (report.csv" in response.text
    finally:
        run.release.set()
    run.join()
    assert run.error is None, run.error
    response = upload(http, live_server, data)  # once it has finished, a re-import is fine
    assert response.status_code == 200
    assert "0 new, 0 updated, 5000 unchanged" in response.text
    assert _count(session, Pledge) == 5_000
    statuses = session.execute(select(PledgeImport.status).order_by(PledgeImport.id)).scalars()
    assert list(statuses) == ["done", "done"]


def _import(session, campaign, data, **options):
    return import_pledges(
        session,
        campaign=campaign,
        fileobj=io.BytesIO(data),
        filename="report.csv",
        actor=Actor(label="test"),
        **options,
    )


def test_an_import_that_dies_midway_is_marked_failed_and_a_rerun_completes(session):
    campaign = make_campaign(session, slug="synth", currency="EUR")
    data = generic_csv(5_000)

    def die(_rows):
        raise KeyboardInterrupt  # as an operator's Ctrl-C, after the first batch

    with pytest.raises(KeyboardInterrupt):
        _import(session, campaign, data, on_rows=die)
    record = session.execute(select(PledgeImport)).scalar_one()
    assert record.status == "failed"
    assert record.created == _count(session, Pledge) == 2_000
    result = _import(session, campaign, data)
    assert (result.created, result.unchanged) == (3_000, 2_000)
    assert _count(session, Pledge) == 5_000
    assert result.record.status == "done"


def test_a_record_left_running_by_a_killed_process_blocks_for_two_minutes_only(session):
    campaign = make_campaign(session, slug="synth", currency="EUR")
    left = PledgeImport(
        campaign_id=campaign.id,
        filename="killed.csv",
        sha256="0" * 64,
        format="generic",
        status="running",
        last_batch_at=utcnow() - timedelta(minutes=1),
    )
    session.add(left)
    session.commit()
    with pytest.raises(ImportBusy, match=r"running \(killed\.csv"):
        _import(session, campaign, generic_csv(10))
    session.rollback()
    left.last_batch_at = utcnow() - timedelta(minutes=3)
    session.add(left)
    session.commit()
    assert _import(session, campaign, generic_csv(10)).created == 10
    session.refresh(left)
    assert left.status == "failed"


class _Warnings(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if "locked" in record.getMessage():
            self.seen.set()


@pytest.fixture
def short_busy_timeout(monkeypatch):
    """Make the engines of this test wait 0.5 s for a lock instead of 5 s."""
    # Read when the app's engine is made and at each connection: requested before `app`.
    monkeypatch.setattr("tracker.db.SQLITE_BUSY_TIMEOUT_MS", 500)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)  # PostgreSQL locks rows only
def test_an_import_waits_out_a_writer_that_holds_the_file_longer_than_the_busy_timeout(
    short_busy_timeout, app, session, db_url
):
    campaign = make_campaign(session, slug="synth", currency="EUR")
    holder = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    warnings = _Warnings()
    logging.getLogger("tracker.pledges.imports").addHandler(warnings)
    run = PausedImport(app, campaign.id, generic_csv(10))
    run.release.set()
    try:
        run.start()
        assert warnings.seen.wait(60)  # the first attempt met the lock for a whole timeout
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        logging.getLogger("tracker.pledges.imports").removeHandler(warnings)
    run.join()
    assert run.error is None, run.error
    assert run.result.created == 10
    assert _count(session, Pledge) == 10


def test_the_history_says_which_import_runs_and_which_stopped_halfway(client, session):
    founder = make_user(session)
    client.login(founder.email)
    campaign = make_campaign(session, owner=founder, slug="synth", currency="EUR")
    for name, status in (("a.csv", "failed"), ("b.csv", "running")):
        session.add(
            PledgeImport(
                campaign_id=campaign.id,
                filename=name,
                sha256="0" * 64,
                format="generic",
                status=status,
                last_batch_at=utcnow(),
            )
        )
    session.commit()
    response = client.get("/dashboard/synth/funding/imports")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Importing now…" in page
    assert "Stopped halfway: the rows it wrote are kept." in page
