"""Follower feedback: score stored entries of feedback channels, rescore them after the
rules change, and keep the founder's reply queue, private notes and alert settings."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from tracker.errors import InvalidInput, NotFound
from tracker.feedback.scoring import RULES_VERSION, score_feedback
from tracker.feeds.content import plain_text
from tracker.feeds.milestone_links import match_kind
from tracker.models import (
    FEEDBACK_STATES,
    Campaign,
    Channel,
    Entry,
    Feedback,
    FeedbackSettings,
    Milestone,
    utcnow,
)

MAX_NOTE_LENGTH = 5000
# Lemmy writes "submitted by X to Y 87 points | 12 comments <link>" before the post.
_LEMMY_HEADER = re.compile(r"^submitted by \S+ to \S+\s+\d+ points? \| \d+ comments?\s*")
_URL = re.compile(r"https?://\S+")
_CHUNK = 200  # entries per SELECT ... IN and per bulk upsert


def feedback_text(entry: Entry) -> str:
    """Return the words of an entry to score: its text, and its title when that adds any."""
    text = plain_text(entry.content_html, is_html=True) or entry.summary_text
    # Feed boilerplate and bare links are no one's words: they only blur the language.
    text = " ".join(_URL.sub(" ", _LEMMY_HEADER.sub("", text)).split())
    title = " ".join((entry.title or "").split())
    # Feeds of comments often title an entry with the start of its text: count it once.
    if title and not text.startswith(title.rstrip("…").rstrip()):
        text = f"{title}. {text}" if text else title
    return text


def _milestone_match(milestones: Sequence[Milestone], text: str, tags: list[str]):
    found = None
    for milestone in milestones:
        how = match_kind(milestone, text=text, tags=tags)
        if how == "tag":
            return milestone.id, how  # a #tag is the founder's own word: it wins over titles
        if how and found is None:
            found = (milestone.id, how)
    return found or (None, None)


def _score_rows(entries: Sequence[Entry], milestones: Sequence[Milestone]) -> list[dict]:
    now, rows = utcnow(), []
    for entry in entries:
        text = feedback_text(entry)
        score = score_feedback(text)
        milestone_id, how = _milestone_match(milestones, text, entry.tags.split())
        rows.append(
            {
                "entry_id": entry.id,
                "campaign_id": entry.campaign_id,
                "channel_id": entry.channel_id,
                "published_at": entry.published_at,
                "language": score.language,
                "sentiment": score.sentiment,
                "label": score.label,
                "category": score.category,
                "reason": score.reason,
                "rules_version": RULES_VERSION,
                "milestone_id": milestone_id,
                "milestone_how": how,
                "state": "new",
                "note": "",
                "scored_at": now,
            }
        )
    return rows


_RESCORED = (
    "language",
    "sentiment",
    "label",
    "category",
    "reason",
    "rules_version",
    "milestone_id",
    "milestone_how",
    "scored_at",
)


def _upsert(session: Session, rows: list[dict]) -> None:
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Feedback.__table__)
    # Rescoring replaces the scores and keeps the founder's state and note.
    statement = insert.on_conflict_do_update(
        index_elements=["entry_id"], set_={name: insert.excluded[name] for name in _RESCORED}
    )
    session.execute(statement, rows)


def score_entries(session: Session, entry_ids: Sequence[int]) -> int:
    """Score the given entries of feedback channels (others are skipped); return how many."""
    scored = 0
    milestones: dict[int, list[Milestone]] = {}
    ids = list(entry_ids)
    for start in range(0, len(ids), _CHUNK):
        entries = list(
            session.scalars(
                select(Entry)
                .join(Channel, Channel.id == Entry.channel_id)
                .where(Entry.id.in_(ids[start : start + _CHUNK]), Channel.role == "feedback")
            )
        )
        for campaign_id in {entry.campaign_id for entry in entries} - milestones.keys():
            milestones[campaign_id] = list(
                session.scalars(
                    select(Milestone)
                    .where(Milestone.campaign_id == campaign_id)
                    .order_by(Milestone.position, Milestone.id)
                )
            )
        rows = []
        for campaign_id in {entry.campaign_id for entry in entries}:
            mine = [entry for entry in entries if entry.campaign_id == campaign_id]
            rows += _score_rows(mine, milestones[campaign_id])
        _upsert(session, rows)
        scored += len(rows)
    session.flush()
    return scored


@dataclass(frozen=True)
class RescorePlan:
    """The entries a rescore will touch, found before the work starts (for a progress bar)."""

    entry_ids: list[int]
    unchanged: int


def plan_rescore(
    session: Session, campaign: Campaign | None = None, *, everything: bool = False
) -> RescorePlan:
    """Return the feedback entries scored under older rules (all of them with everything)."""
    query = (
        select(Entry.id, Feedback.rules_version)
        .join(Channel, Channel.id == Entry.channel_id)
        .outerjoin(Feedback, Feedback.entry_id == Entry.id)
        .where(Channel.role == "feedback")
        .order_by(Entry.id)
    )
    if campaign is not None:
        query = query.where(Entry.campaign_id == campaign.id)
    due, unchanged = [], 0
    for entry_id, version in session.execute(query):
        if everything or version is None or version < RULES_VERSION:
            due.append(entry_id)
        else:
            unchanged += 1
    return RescorePlan(due, unchanged)


def rescore_in_batches(session: Session, entry_ids: Sequence[int]) -> Iterator[int]:
    """Score the entries batch by batch, yielding each batch's size as it is done."""
    for start in range(0, len(entry_ids), _CHUNK):
        yield score_entries(session, entry_ids[start : start + _CHUNK])


def get_feedback(session: Session, campaign: Campaign, entry_id: int) -> Feedback:
    """Return the campaign's feedback on this entry; NotFound for any other."""
    feedback = session.get(Feedback, entry_id)
    if feedback is None or feedback.campaign_id != campaign.id:
        raise NotFound(f"feedback {entry_id}")
    return feedback


def set_state(session: Session, feedback: Feedback, state: str) -> Feedback:
    """Move a feedback entry in the reply queue: new, needs_reply, answered or ignored."""
    if state not in FEEDBACK_STATES:
        raise InvalidInput({"state": f"Choose one of: {', '.join(FEEDBACK_STATES)}."})
    if feedback.state != state:
        feedback.state, feedback.state_changed_at = state, utcnow()
        session.add(feedback)
        session.flush()
    return feedback


def set_note(session: Session, feedback: Feedback, note: str) -> Feedback:
    """Replace the team's private note on a feedback entry."""
    note = (note or "").strip()
    if len(note) > MAX_NOTE_LENGTH:
        raise InvalidInput({"note": f"Use at most {MAX_NOTE_LENGTH} characters."})
    feedback.note = note
    session.add(feedback)
    session.flush()
    return feedback


def feedback_settings(session: Session, campaign: Campaign) -> FeedbackSettings:
    """Return the campaign's alert settings, creating the defaults on first use."""
    settings = session.get(FeedbackSettings, campaign.id)
    if settings is None:
        settings = FeedbackSettings(campaign_id=campaign.id, alert_token=_new_token())
        session.add(settings)
        session.flush()
    return settings


def peek_settings(session: Session, campaign: Campaign) -> FeedbackSettings:
    """Return the stored settings or unsaved defaults, without writing (for GET pages)."""
    return session.get(FeedbackSettings, campaign.id) or FeedbackSettings(
        campaign_id=campaign.id, alert_token=""
    )


def update_settings(
    session: Session,
    campaign: Campaign,
    *,
    negative_share: float,
    share_min_volume: int,
    spike_min_count: int,
) -> FeedbackSettings:
    """Change the alert thresholds: a share in (0, 1], minimum counts of at least 1."""
    errors = {}
    if not 0 < negative_share <= 1:
        errors["negative_share"] = "Give a share above 0 and at most 1 (e.g. 0.6 for 60%)."
    if not 1 <= share_min_volume <= 100_000:
        errors["share_min_volume"] = "Give a count from 1 to 100000."
    if not 1 <= spike_min_count <= 100_000:
        errors["spike_min_count"] = "Give a count from 1 to 100000."
    if errors:
        raise InvalidInput(errors)
    settings = feedback_settings(session, campaign)
    settings.negative_share = negative_share
    settings.share_min_volume = share_min_volume
    settings.spike_min_count = spike_min_count
    session.add(settings)
    session.flush()
    return settings


def regenerate_token(session: Session, campaign: Campaign) -> FeedbackSettings:
    """Give the private alert feed a new secret URL; the old one answers 404 from now on."""
    settings = feedback_settings(session, campaign)
    settings.alert_token, settings.token_created_at = _new_token(), utcnow()
    session.add(settings)
    session.flush()
    return settings


def settings_for_token(
    session: Session, slug: str, token: str
) -> tuple[Campaign, FeedbackSettings]:
    """Return the campaign and settings whose alert token this is; NotFound otherwise."""
    found = session.execute(
        select(Campaign, FeedbackSettings)
        .join(FeedbackSettings, FeedbackSettings.campaign_id == Campaign.id)
        .where(Campaign.slug == slug)
    ).first()
    # Compared as bytes: compare_digest refuses str with non-ASCII characters ("/é.atom").
    expected = (found[1].alert_token or "").encode() if found else b""
    if not expected or not token or not secrets.compare_digest(expected, token.encode()):
        raise NotFound("alert feed")
    return found[0], found[1]


def _new_token() -> str:
    return secrets.token_urlsafe(32)
