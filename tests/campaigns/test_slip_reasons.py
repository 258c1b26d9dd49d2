"""A new planned date carries a short public reason: on the roadmap, the timeline, the Atom
feed and the report, from the edit form and from `tracker milestones set --reason`."""

import re
from datetime import UTC, date, datetime

import feedparser
import pytest
from sqlmodel import select, update

from tests.factories import make_milestone
from tests.factories.reports import pdf_text
from tracker.campaigns.milestone_changes import REASON_MAX
from tracker.campaigns.milestones import change_milestone
from tracker.errors import InvalidInput
from tracker.models import Actor, Milestone, MilestoneChange

REASON = "waiting for the USB-C MIDI fix"
pytestmark = pytest.mark.usefixtures("founder")


def _text(html: str) -> str:
    """Return the words of the page without its tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def _changes(session):
    return session.exec(
        select(MilestoneChange)
        .where(MilestoneChange.field == "due_on")
        .order_by(MilestoneChange.id)
    ).all()


def _edit(client, milestone, due_on, reason, **extra):
    return client.post(
        f"/dashboard/synth/milestones/{milestone.id}/edit",
        {
            "title": milestone.title,
            "due_on": due_on,
            "status": "planned",
            "is_public": "y",
            "reason": reason,
            **extra,
        },
    )


def test_the_reason_shows_beside_the_slip_everywhere(client, session, campaign):
    milestone = make_milestone(session, campaign, title="Firmware beta", due_on=date(2027, 3, 1))
    response = _edit(client, milestone, "2027-04-20", f"  {REASON}\n ")
    assert response.status_code == 303
    (change,) = _changes(session)
    assert (change.old_value, change.new_value, change.reason) == (
        "2027-03-01",
        "2027-04-20",
        REASON,
    )
    roadmap = _text(client.get_text("/c/synth"))
    assert f"moved to Apr 20, 2027 ({REASON})" in roadmap
    timeline = _text(client.get_text("/c/synth/timeline"))
    assert "“Firmware beta” moved from Mar 1, 2027 to Apr 20, 2027" in timeline
    assert REASON in timeline.split("moved from Mar 1, 2027", 1)[1][:300]
    dashboard = _text(client.get_text("/dashboard/synth/"))
    assert REASON in dashboard
    feed = feedparser.parse(client.get_checked("/c/synth/feed.atom").data)
    (entry,) = [e for e in feed.entries if "moved from" in e.title]
    assert entry.title == f"“Firmware beta” moved from Mar 1, 2027 to Apr 20, 2027: {REASON}"
    assert entry.summary == REASON


def test_every_move_keeps_its_own_reason_on_the_roadmap(client, session, campaign):
    milestone = make_milestone(session, campaign, title="Beta", due_on=date(2027, 3, 1))
    change_milestone(
        session, milestone, actor=Actor(label="a"), due_on=date(2027, 4, 1), reason="case late"
    )
    change_milestone(session, milestone, actor=Actor(label="b"), due_on=date(2027, 5, 1))
    session.commit()
    roadmap = _text(client.get_text("/c/synth"))
    assert "planned Mar 1, 2027, moved to Apr 1, 2027 (case late), moved to May 1, 2027" in roadmap


def test_a_reason_too_long_is_refused_and_nothing_changes(client, session, campaign):
    milestone = make_milestone(session, campaign, title="Beta", due_on=date(2027, 3, 1))
    response = _edit(client, milestone, "2027-04-20", "x" * (REASON_MAX + 1))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f"Use at most {REASON_MAX} characters." in page.split('id="reason-error"', 1)[1][:200]
    session.expire_all()
    assert session.get(Milestone, milestone.id).due_on == date(2027, 3, 1)
    assert _changes(session) == []


def test_a_reason_without_a_new_date_is_refused(client, session, campaign):
    milestone = make_milestone(session, campaign, title="Beta", due_on=date(2027, 3, 1))
    response = _edit(client, milestone, "2027-03-01", REASON)
    assert response.status_code == 422
    assert "Give a reason only with a new planned date." in response.get_data(as_text=True)
    with pytest.raises(InvalidInput) as refused:
        change_milestone(session, milestone, actor=Actor(label="a"), status="done", reason=REASON)
    assert set(refused.value.errors) == {"reason"}


def test_cli_sets_the_reason_and_refuses_it_alone(cli, session, campaign):
    make_milestone(session, campaign, tag="beta", due_on=date(2027, 3, 1))
    result = cli("milestones", "set", "synth", "beta", "--due", "2027-04-20", "--reason", REASON)
    assert result.exit_code == 0, result.output
    assert f"({REASON})" in result.output
    assert [c.reason for c in _changes(session)] == [REASON]
    result = cli("milestones", "set", "synth", "beta", "--reason", "again")
    assert result.exit_code == 2
    assert "--reason goes with --due" in result.output
    result = cli("milestones", "set", "synth", "beta", "--due", "2027-05-01", "--reason", "y" * 999)
    assert result.exit_code == 1
    assert f"reason: Use at most {REASON_MAX} characters." in result.output
    session.expire_all()
    assert [c.new_value for c in _changes(session)] == ["2027-04-20"]


def test_the_report_names_the_reason_of_the_slip(client, session, campaign, tmp_path):
    milestone = make_milestone(session, campaign, title="Firmware beta", due_on=date(2026, 11, 10))
    change_milestone(
        session, milestone, actor=Actor(label="a"), due_on=date(2026, 12, 5), reason=REASON
    )
    session.commit()
    session.execute(
        update(MilestoneChange).values(changed_at=datetime(2026, 11, 8, 12, tzinfo=UTC))
    )
    session.commit()
    response = client.post("/dashboard/synth/reports/export", {"kind": "month", "month": "2026-11"})
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = " ".join(pdf_text(response.data, tmp_path).split())
    assert f"first planned for Nov 10, 2026, now Dec 5, 2026 ({REASON})" in text


def test_the_json_summary_lists_every_move_with_its_reason(client, session, campaign):
    milestone = make_milestone(session, campaign, title="Beta", due_on=date(2027, 3, 1))
    change_milestone(
        session, milestone, actor=Actor(label="a"), due_on=date(2027, 4, 1), reason="case late"
    )
    change_milestone(session, milestone, actor=Actor(label="b"), due_on=date(2027, 5, 1))
    session.commit()
    response = client.get("/api/campaigns/synth.json")
    assert response.status_code == 200
    (beta,) = [m for m in response.get_json()["milestones"] if m["title"] == "Beta"]
    assert (beta["first_planned_on"], beta["planned_on"]) == ("2027-03-01", "2027-05-01")
    moves = [{key: move[key] for key in ("from", "to", "reason")} for move in beta["moves"]]
    assert moves == [
        {"from": "2027-03-01", "to": "2027-04-01", "reason": "case late"},
        {"from": "2027-04-01", "to": "2027-05-01", "reason": None},
    ]
    assert all(datetime.fromisoformat(move["moved_at"]).tzinfo for move in beta["moves"])
