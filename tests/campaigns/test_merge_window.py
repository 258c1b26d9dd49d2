"""Corrections within 15 minutes of a change (same milestone, same person) merge into that
change: fixing a typo in a date three times publishes one slip, not three."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from tests.factories import make_milestone
from tracker.campaigns.milestones import change_milestone
from tracker.errors import InvalidInput
from tracker.models import Actor, MilestoneChange

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
ANNA = Actor(user_id=None, label="anna@example.com")
BEN = Actor(user_id=None, label="ben@example.com")


def minutes(n: float) -> datetime:
    return T0 + timedelta(minutes=n)


def _history(session, field="due_on"):
    session.expire_all()
    changes = session.exec(
        select(MilestoneChange)
        .where(MilestoneChange.field == field, MilestoneChange.old_value.is_not(None))
        .order_by(MilestoneChange.changed_at, MilestoneChange.id)
    ).all()
    return [(c.old_value, c.new_value, c.changed_at, c.reason) for c in changes]


def _move(session, milestone, day, at, actor=ANNA, **values):
    change_milestone(session, milestone, actor=actor, due_on=day, now=at, **values)
    session.commit()


@pytest.fixture
def beta(session, campaign):
    return make_milestone(session, campaign, title="Beta", due_on=date(2027, 3, 1))


def test_three_corrections_make_one_slip_with_the_first_from_and_the_last_to(session, beta):
    _move(session, beta, date(2027, 4, 1), minutes(0), reason="case late")
    _move(session, beta, date(2027, 4, 11), minutes(4))
    _move(session, beta, date(2027, 4, 10), minutes(14.5))
    assert _history(session) == [("2027-03-01", "2027-04-10", minutes(0), "case late")]


def test_a_correction_back_to_the_first_date_leaves_no_event(session, beta):
    _move(session, beta, date(2027, 4, 1), minutes(0))
    _move(session, beta, date(2027, 3, 1), minutes(3))
    assert _history(session) == []
    _move(session, beta, date(2027, 5, 1), minutes(5))  # a change of its own again
    assert _history(session) == [("2027-03-01", "2027-05-01", minutes(5), "")]


def test_after_the_window_every_change_stays_visible(session, beta):
    _move(session, beta, date(2027, 4, 1), minutes(0))
    _move(session, beta, date(2027, 4, 2), minutes(10))  # merges into the first
    # The window runs from the change, not from the last correction.
    _move(session, beta, date(2027, 4, 3), minutes(15) + timedelta(seconds=1))
    _move(session, beta, date(2027, 3, 1), minutes(31))
    assert _history(session) == [
        ("2027-03-01", "2027-04-02", minutes(0), ""),
        ("2027-04-02", "2027-04-03", minutes(15) + timedelta(seconds=1), ""),
        ("2027-04-03", "2027-03-01", minutes(31), ""),
    ]


def test_someone_else_correcting_makes_a_change_of_their_own(session, beta):
    _move(session, beta, date(2027, 4, 1), minutes(0), actor=ANNA)
    _move(session, beta, date(2027, 4, 2), minutes(1), actor=BEN)
    assert [row[:2] for row in _history(session)] == [
        ("2027-03-01", "2027-04-01"),
        ("2027-04-01", "2027-04-02"),
    ]


def test_status_corrections_merge_too(session, beta):
    for status, at in (("done", 0), ("in_progress", 2)):
        change_milestone(session, beta, actor=ANNA, status=status, now=minutes(at))
    session.commit()
    assert [row[:2] for row in _history(session, "status")] == [("planned", "in_progress")]
    change_milestone(session, beta, actor=ANNA, status="planned", now=minutes(6))
    session.commit()
    assert _history(session, "status") == []
    assert beta.completed_on is None


def test_the_reason_of_a_recent_change_can_be_corrected_alone(session, beta):
    _move(session, beta, date(2027, 4, 1), minutes(0), reason="case late")
    change_milestone(session, beta, actor=ANNA, reason="case supplier late", now=minutes(5))
    session.commit()
    assert _history(session)[0][3] == "case supplier late"
    with pytest.raises(InvalidInput):  # past the window: a reason needs a new date again
        change_milestone(session, beta, actor=ANNA, reason="other", now=minutes(16))
    with pytest.raises(InvalidInput):  # and only the person who moved it corrects it
        change_milestone(session, beta, actor=BEN, reason="other", now=minutes(6))


def test_three_edits_on_the_form_publish_one_slip(client, session, campaign, founder, beta):
    url = f"/dashboard/synth/milestones/{beta.id}/edit"
    form = {"title": "Beta", "status": "planned", "is_public": "y"}
    for day, reason in (("2027-04-01", "case late"), ("2027-04-11", ""), ("2027-04-10", "")):
        response = client.post(url, {**form, "due_on": day, "reason": reason})
        assert response.status_code == 303
    assert [(old, new, why) for old, new, _at, why in _history(session)] == [
        ("2027-03-01", "2027-04-10", "case late")
    ]
    timeline = client.get_text("/c/synth/timeline")
    assert timeline.count("moved from") == 1
