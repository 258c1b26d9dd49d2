"""Milestones: inline htmx editing, plain forms without JS, and a history of every slip."""

from datetime import date

import pytest
from sqlmodel import select

from tests.factories import make_milestone
from tracker.campaigns.milestones import change_milestone, history_of, timing_of
from tracker.models import Actor, Milestone, MilestoneChange

HX = {"HX-Request": "true"}
pytestmark = pytest.mark.usefixtures("founder")


def _milestones(session):
    return session.exec(select(Milestone).order_by(Milestone.position)).all()


def test_add_milestone_without_js_redirects(client, session, campaign):
    response = client.post(
        "/dashboard/synth/milestones/new",
        {
            "title": "Beta",
            "due_on": "2027-02-01",
            "status": "planned",
            "tag": "#Beta",
            "threshold": "75000",
            "is_public": "y",
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/dashboard/synth/"
    (milestone,) = _milestones(session)
    assert (milestone.tag, milestone.threshold_minor, milestone.is_public) == (
        "beta",
        7_500_000,
        True,
    )
    assert "Beta" in client.get_text("/dashboard/synth/")


def test_add_milestone_with_htmx_returns_the_roadmap_fragment(client, session, campaign):
    response = client.post(
        "/dashboard/synth/milestones/new",
        {"title": "Beta", "due_on": "2027-02-01", "status": "planned"},
        headers=HX,
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.startswith('<ol id="roadmap"')
    assert "<html" not in page
    assert 'data-hx-swap-oob="true"' in page  # a fresh, empty form replaces the used one
    assert "HX-Request" in response.headers["Vary"]


def test_boosted_and_history_restore_requests_get_the_whole_page(client, session, campaign):
    milestone = make_milestone(session, campaign)
    url = f"/dashboard/synth/milestones/{milestone.id}/edit"
    for headers in ({**HX, "HX-Boosted": "true"}, {**HX, "HX-History-Restore-Request": "true"}):
        assert "<html" in client.get_text(url, headers=headers)
    assert "<html" not in client.get_text(url, headers=HX)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": "", "due_on": "2027-01-01"}, "title", "This field is required."),
        ({"title": "x", "due_on": "tomorrow"}, "due_on", "Not a valid date value."),
        ({"title": "x", "due_on": ""}, "due_on", "Give a planned date."),
        ({"title": "x" * 161, "due_on": "2027-01-01"}, "title", "Use at most 160 characters."),
        ({"title": "x", "due_on": "2027-01-01", "threshold": "-1"}, "threshold", "more than zero"),
        ({"title": "x", "due_on": "2027-01-01", "tag": "not a tag!"}, "tag", "Use up to 40"),
        (
            {"title": "x", "due_on": "2027-01-01", "progress": "140"},
            "progress",
            "between 0 and 100",
        ),
    ],
)
def test_bad_milestone_input(client, session, campaign, data, field, message):
    response = client.post(
        "/dashboard/synth/milestones/new", {"status": "planned", **data}, headers=HX
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert response.headers["HX-Retarget"] == "#new-milestone"
    assert message in page.split(f'id="{field}-error"', 1)[1][:200]
    assert _milestones(session) == []


def test_duplicate_tag_is_refused(client, session, campaign):
    make_milestone(session, campaign, tag="beta")
    response = client.post(
        "/dashboard/synth/milestones/new",
        {"title": "Other", "due_on": "2027-02-01", "status": "planned", "tag": "beta"},
    )
    assert response.status_code == 422
    assert "Another milestone already uses #beta." in response.get_data(as_text=True)


def test_inline_status_change_records_history(client, session, campaign, founder):
    milestone = make_milestone(session, campaign, title="Beta")
    url = f"/dashboard/synth/milestones/{milestone.id}/status"
    response = client.post(url, {"status": "done"}, headers=HX)
    assert response.status_code == 200
    assert response.get_data(as_text=True).startswith(f'<li id="m{milestone.id}"')
    session.refresh(milestone)
    assert milestone.status == "done"
    assert milestone.completed_on is not None
    change = session.exec(
        select(MilestoneChange)
        .where(MilestoneChange.field == "status")
        .order_by(MilestoneChange.id.desc())
    ).first()
    assert (change.old_value, change.new_value, change.actor_id) == ("planned", "done", founder.id)
    # Without JS the same form answers with a redirect back to the roadmap.
    response = client.post(url, {"status": "delayed"})
    assert response.status_code == 303


def test_edit_moves_the_date_and_the_slip_stays_visible(client, session, campaign):
    milestone = make_milestone(session, campaign, title="Beta", due_on=date(2027, 3, 1))
    response = client.post(
        f"/dashboard/synth/milestones/{milestone.id}/edit",
        {"title": "Beta", "due_on": "2027-04-20", "status": "delayed"},
    )
    assert response.status_code == 303
    session.refresh(milestone)
    changes = history_of(session, [milestone.id])[milestone.id]
    assert [(c.field, c.old_value, c.new_value) for c in changes] == [
        ("status", None, "planned"),
        ("status", "planned", "delayed"),
        ("due_on", "2027-03-01", "2027-04-20"),
    ]
    change_milestone(session, milestone, status="done", actor=Actor(label="test"))
    milestone.completed_on = date(2027, 4, 20)
    timing = timing_of(milestone, changes, date(2027, 5, 1))
    assert (timing.first_planned, timing.days_late, timing.slipped_days) == (
        date(2027, 3, 1),
        50,
        50,
    )


def test_reorder_with_and_without_htmx(client, session, campaign):
    make_milestone(session, campaign, title="First")
    second = make_milestone(session, campaign, title="Second")
    response = client.post(f"/dashboard/synth/milestones/{second.id}/move/up", headers=HX)
    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert fragment.index("Second") < fragment.index("First")
    assert [m.title for m in _milestones(session)] == ["Second", "First"]
    response = client.post(f"/dashboard/synth/milestones/{second.id}/move/down")
    assert response.status_code == 303
    assert [m.title for m in _milestones(session)] == ["First", "Second"]


def test_the_roadmap_shows_each_change_with_who_and_when(client, session, campaign):
    milestone = make_milestone(session, campaign, title="Beta", due_on=date(2027, 3, 1))
    edited = client.post(
        f"/dashboard/synth/milestones/{milestone.id}/edit",
        {"title": "Beta", "due_on": "2027-04-20", "status": "delayed"},
    )
    assert edited.status_code == 303
    page = client.get_text("/dashboard/synth/")
    history = page.split('<details class="history">', 1)[1].split("</details>", 1)[0]
    assert "3 changes" in history
    assert "Planned → Delayed" in history
    assert "planned date Mar 1, 2027 → Apr 20, 2027" in " ".join(history.split())
