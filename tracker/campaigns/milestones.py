"""Milestones: plan, edit, reorder and change status, keeping every slip in a history."""

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, func, select

from tracker.campaigns.milestone_changes import check_reason, correct_reason, record_change
from tracker.dates import local_day, today_in
from tracker.errors import InvalidInput, NotFound
from tracker.models import MILESTONE_STATUSES, Actor, Campaign, Milestone, MilestoneChange, utcnow

TAG_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")


@dataclass(frozen=True)
class MilestoneInput:
    """Plain values of a milestone, as a form or the CLI gives them."""

    title: str
    due_on: date
    description_md: str = ""
    status: str = "planned"
    progress: int | None = None
    completed_on: date | None = None
    is_public: bool = True
    threshold_minor: int | None = None
    tag: str | None = None


def normalize_tag(tag: str | None) -> str | None:
    """Return the tag without '#' and in lowercase, or None when empty."""
    tag = (tag or "").strip().lstrip("#").lower()
    return tag or None


def validate_milestone(
    session: Session, campaign: Campaign, data: MilestoneInput, *, existing: Milestone | None = None
) -> None:
    """Raise InvalidInput with a reason per field when data is not a valid milestone."""
    errors: dict[str, str] = {}
    title = (data.title or "").strip()
    if not title:
        errors["title"] = "This field is required."
    elif len(title) > 160:
        errors["title"] = "Use at most 160 characters."
    if len(data.description_md or "") > 20000:
        errors["description_md"] = "Use at most 20000 characters."
    if data.due_on is None:
        errors["due_on"] = "Give a planned date."
    if data.status not in MILESTONE_STATUSES:
        errors["status"] = f"Choose one of: {', '.join(MILESTONE_STATUSES)}."
    if data.progress is not None and not 0 <= data.progress <= 100:
        errors["progress"] = "Progress is a percentage from 0 to 100."
    if data.threshold_minor is not None and data.threshold_minor <= 0:
        errors["threshold"] = "A funding threshold must be more than zero."
    if data.tag is not None:
        if not TAG_RE.match(data.tag):
            errors["tag"] = "Use up to 40 letters, digits, '-' or '_', like #beta."
        elif _tag_taken(session, campaign, data.tag, existing):
            errors["tag"] = f"Another milestone already uses #{data.tag}."
    if errors:
        raise InvalidInput(errors)


def _tag_taken(session, campaign, tag, existing) -> bool:
    query = select(Milestone.id).where(Milestone.campaign_id == campaign.id, Milestone.tag == tag)
    found = session.exec(query).first()
    return found is not None and (existing is None or found != existing.id)


def add_milestone(
    session: Session, campaign: Campaign, data: MilestoneInput, *, actor: Actor
) -> Milestone:
    """Add a milestone at the end of the campaign's roadmap."""
    data = _normalized(data)
    validate_milestone(session, campaign, data)
    last = session.exec(
        select(func.max(Milestone.position)).where(Milestone.campaign_id == campaign.id)
    ).one()
    milestone = Milestone(campaign_id=campaign.id, position=(last or 0) + 1, **vars(data))
    if milestone.status == "done" and milestone.completed_on is None:
        milestone.completed_on = today_in(campaign.timezone)
    session.add(milestone)
    try:
        session.flush()
    except IntegrityError:
        _answer_as_the_check(session, campaign, data)
        raise
    record_change(session, milestone, "status", None, milestone.status, actor=actor, now=utcnow())
    return milestone


def update_milestone(
    session: Session,
    milestone: Milestone,
    data: MilestoneInput,
    *,
    actor: Actor,
    reason: str = "",
    now: datetime | None = None,
) -> Milestone:
    """Change a milestone's fields; a new status or planned date (and why) lands in the history."""
    campaign = session.get(Campaign, milestone.campaign_id)
    data, now = _normalized(data), now or utcnow()
    moves = data.due_on != milestone.due_on
    try:
        reason = check_reason(session, milestone, reason, moves=moves, actor=actor, now=now)
        problems = {}
    except InvalidInput as error:
        problems = error.errors
    try:
        validate_milestone(session, campaign, data, existing=milestone)
    except InvalidInput as error:
        raise InvalidInput({**error.errors, **problems}) from None
    if problems:
        raise InvalidInput(problems)
    old_status, old_due = milestone.status, milestone.due_on
    for name, value in vars(data).items():
        setattr(milestone, name, value)
    try:
        _after_change(session, milestone, old_status, old_due, actor, reason, now)
    except IntegrityError:
        _answer_as_the_check(session, campaign, data, existing=milestone)
        raise
    return milestone


def _answer_as_the_check(session, campaign, data, *, existing=None) -> None:
    # A parallel request took the tag after our check. The failed flush has ended the
    # transaction: roll it back and let the check raise the refusal it would have raised.
    session.rollback()
    validate_milestone(session, campaign, data, existing=existing)


def change_milestone(
    session: Session,
    milestone: Milestone,
    *,
    actor: Actor,
    status: str | None = None,
    due_on: date | None = None,
    progress: int | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> Milestone:
    """Change only the given status, planned date (with a public reason) or progress."""
    errors, now = {}, now or utcnow()
    if status is not None and status not in MILESTONE_STATUSES:
        errors["status"] = f"Choose one of: {', '.join(MILESTONE_STATUSES)}."
    if progress is not None and not 0 <= progress <= 100:
        errors["progress"] = "Progress is a percentage from 0 to 100."
    moves = due_on is not None and due_on != milestone.due_on
    try:
        reason = check_reason(session, milestone, reason, moves=moves, actor=actor, now=now)
    except InvalidInput as error:
        errors.update(error.errors)
    if errors:
        raise InvalidInput(errors)
    old_status, old_due = milestone.status, milestone.due_on
    milestone.status = status or milestone.status
    milestone.due_on = due_on or milestone.due_on
    if progress is not None:
        milestone.progress = progress
    _after_change(session, milestone, old_status, old_due, actor, reason, now)
    return milestone


def _after_change(session, milestone, old_status, old_due, actor, reason, now) -> None:
    if milestone.status != old_status:
        if milestone.status == "done":
            # Done on the campaign's day, as its pages count days.
            zone_name = session.get(Campaign, milestone.campaign_id).timezone
            milestone.completed_on = milestone.completed_on or local_day(now, zone_name)
            milestone.progress = 100
        elif old_status == "done":
            milestone.completed_on = None
        record_change(
            session, milestone, "status", old_status, milestone.status, actor=actor, now=now
        )
    if milestone.due_on != old_due:
        record_change(
            session,
            milestone,
            "due_on",
            old_due.isoformat(),
            milestone.due_on.isoformat(),
            actor=actor,
            now=now,
            reason=reason,
        )
    elif reason:  # check_reason let it through: it corrects the reason of a recent move
        correct_reason(session, milestone, reason, actor=actor, now=now)
    milestone.updated_at = now
    session.add(milestone)
    session.flush()


def _normalized(data: MilestoneInput) -> MilestoneInput:
    return MilestoneInput(
        **{**vars(data), "title": (data.title or "").strip(), "tag": normalize_tag(data.tag)}
    )


def move_milestone(session: Session, milestone: Milestone, *, direction: str) -> None:
    """Swap the milestone with its neighbour above ('up') or below ('down')."""
    if direction not in ("up", "down"):
        raise InvalidInput({"direction": "Move 'up' or 'down'."})
    roadmap = milestones_of(session, milestone.campaign_id)
    index = next(i for i, m in enumerate(roadmap) if m.id == milestone.id)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(roadmap):
        return
    roadmap[index], roadmap[other] = roadmap[other], roadmap[index]
    for position, item in enumerate(roadmap, start=1):
        item.position = position
        session.add(item)
    session.flush()


def milestones_of(session: Session, campaign_id: int, *, public_only: bool = False):
    """Return the campaign's milestones in roadmap order."""
    query = select(Milestone).where(Milestone.campaign_id == campaign_id)
    if public_only:
        query = query.where(Milestone.is_public)
    return list(session.exec(query.order_by(Milestone.position, Milestone.id)))


def get_milestone(session: Session, campaign: Campaign, milestone_id: int) -> Milestone:
    """Return the campaign's milestone with this id; NotFound for any other."""
    milestone = session.get(Milestone, milestone_id)
    if milestone is None or milestone.campaign_id != campaign.id:
        raise NotFound(milestone_id)
    return milestone


def find_by_tag(session: Session, campaign: Campaign, tag: str) -> Milestone:
    """Return the campaign's milestone with this tag; NotFound otherwise."""
    milestone = session.exec(
        select(Milestone).where(
            Milestone.campaign_id == campaign.id, Milestone.tag == normalize_tag(tag)
        )
    ).first()
    if milestone is None:
        raise NotFound(tag)
    return milestone


def history_of(session: Session, milestone_ids: list[int]) -> dict[int, list[MilestoneChange]]:
    """Return each milestone's changes, oldest first."""
    history: dict[int, list[MilestoneChange]] = {mid: [] for mid in milestone_ids}
    if not milestone_ids:
        return history
    changes = session.exec(
        select(MilestoneChange)
        .where(MilestoneChange.milestone_id.in_(milestone_ids))
        .order_by(MilestoneChange.changed_at, MilestoneChange.id)
    )
    for change in changes:
        history[change.milestone_id].append(change)
    return history


def first_planned_date(changes: list[MilestoneChange], current: date) -> date:
    """Return the date first planned, so a slip stays visible after the date moved."""
    for change in changes:
        if change.field == "due_on" and change.old_value:
            return date.fromisoformat(change.old_value)
    return current


@dataclass(frozen=True)
class Move:
    """One change of the planned date as backers read it: the new date and why."""

    to: date
    reason: str
    previous: date | None = None  # the planned date it moved from
    at: datetime | None = None  # when it moved (UTC)


@dataclass(frozen=True)
class Timing:
    """How a milestone kept to its plan: first and current planned date, lateness."""

    first_planned: date
    planned: date
    completed_on: date | None
    slipped_days: int  # how far the plan moved since it was first made
    days_late: int  # done after the first plan, or still open past it
    moves: tuple[Move, ...] = ()  # every change of the planned date, oldest first
    # A stretch goal the total has not reached: work that was never promised is never late.
    locked: bool = False


def timing_of(
    milestone: Milestone,
    changes: list[MilestoneChange],
    today: date,
    *,
    funded_minor: int | None = None,
) -> Timing:
    """Measure the milestone against the date first planned, so slips stay visible."""
    first = first_planned_date(changes, milestone.due_on)
    # funded_minor is the campaign's net total (None: unknown); a stretch goal above it is
    # locked until the total reaches it.
    locked = (
        milestone.threshold_minor is not None
        and funded_minor is not None
        and funded_minor < milestone.threshold_minor
        and milestone.status not in ("done", "dropped")
    )
    if milestone.status == "done" and milestone.completed_on:
        late = (milestone.completed_on - first).days
    elif milestone.status == "dropped" or locked:
        late = 0
    else:
        late = (today - first).days
    return Timing(
        first_planned=first,
        planned=milestone.due_on,
        completed_on=milestone.completed_on,
        slipped_days=(milestone.due_on - first).days,
        days_late=max(late, 0),
        locked=locked,
        moves=tuple(
            Move(
                date.fromisoformat(change.new_value),
                change.reason,
                previous=date.fromisoformat(change.old_value),
                at=change.changed_at,
            )
            for change in changes
            if change.field == "due_on" and change.old_value
        ),
    )
