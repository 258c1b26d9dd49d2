"""A milestone's history as it is written: one event per change of status or planned date.

Backers read every event as news (the timeline, the Atom feed, "3 days late"), so a
typo fixed three times must not publish three slips: a correction by the same person
within MERGE_WINDOW of a change merges into it, keeping the first "from" and the last
"to"; a correction back to where it started leaves no event at all. The window runs
from the change itself, not from the last correction, so after it every change stays.
"""

from datetime import datetime, timedelta

from sqlmodel import Session, select

from tracker.errors import InvalidInput
from tracker.models import Actor, Milestone, MilestoneChange
from tracker.text import strip_forbidden_chars

MERGE_WINDOW = timedelta(minutes=15)
REASON_MAX = 160  # a short public reason for a new planned date, plain text


def clean_reason(text: str | None) -> str:
    """Return the reason as one line of plain text: no controls, spaces collapsed."""
    return " ".join((strip_forbidden_chars(text) or "").split())


def check_reason(
    session: Session,
    milestone: Milestone,
    reason: str | None,
    *,
    moves: bool,
    actor: Actor,
    now: datetime,
) -> str:
    """Return the cleaned reason; InvalidInput when too long or when no date moves now
    and no recent move of this person's is there for it to correct."""
    reason = clean_reason(reason)
    if len(reason) > REASON_MAX:
        raise InvalidInput({"reason": f"Use at most {REASON_MAX} characters."})
    if reason and not moves and _correctable(session, milestone, "due_on", actor, now) is None:
        raise InvalidInput({"reason": "Give a reason only with a new planned date."})
    return reason


def record_change(
    session: Session,
    milestone: Milestone,
    field: str,
    old: str | None,
    new: str,
    *,
    actor: Actor,
    now: datetime,
    reason: str = "",
) -> None:
    """Record a change, or merge it into the one it corrects (see the module's docstring)."""
    corrected = _correctable(session, milestone, field, actor, now) if old is not None else None
    if corrected is None:
        session.add(
            MilestoneChange(
                milestone_id=milestone.id,
                field=field,
                old_value=old,
                new_value=new,
                actor_id=actor.user_id,
                actor_label=actor.label,
                changed_at=now,
                reason=reason,
            )
        )
    elif corrected.old_value == new:
        session.delete(corrected)
    else:
        corrected.new_value = new
        corrected.reason = reason or corrected.reason  # a date fixed again keeps its why
        session.add(corrected)


def correct_reason(
    session: Session, milestone: Milestone, reason: str, *, actor: Actor, now: datetime
) -> None:
    """Give this person's recent move of the planned date a new reason."""
    corrected = _correctable(session, milestone, "due_on", actor, now)
    if corrected is not None:
        corrected.reason = reason
        session.add(corrected)


def _correctable(session, milestone, field, actor, now) -> MilestoneChange | None:
    """Return the newest change of the field if this person may still correct it."""
    last = session.exec(
        select(MilestoneChange)
        .where(
            MilestoneChange.milestone_id == milestone.id,
            MilestoneChange.field == field,
            # A milestone's first status is its creation, not a change to correct.
            MilestoneChange.old_value.is_not(None),
        )
        .order_by(MilestoneChange.changed_at.desc(), MilestoneChange.id.desc())
        .limit(1)
    ).first()
    if last is None or (last.actor_id, last.actor_label) != (actor.user_id, actor.label):
        return None
    return last if timedelta(0) <= now - last.changed_at <= MERGE_WINDOW else None
