"""Score follower feedback: one comment's language, sentiment, label, category and reason;
stored entries of feedback channels as they arrive, and again after the rules change."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from tracker.feedback.language import detect_language
from tracker.feedback.public_text import without_boilerplate
from tracker.feedback.rules import categorize_feedback
from tracker.feedback.sentiment import blend_with_category, label_for, score_sentiment
from tracker.feeds.content import plain_text
from tracker.feeds.milestone_links import match_kind
from tracker.models import Campaign, Channel, Entry, Feedback, Milestone, utcnow

# Bump whenever keywords, lexicon adjustments or thresholds change, so that entries scored
# under an older version can be found and rescored.
RULES_VERSION = 5

_URL = re.compile(r"https?://\S+")
_CHUNK = 200  # entries per SELECT ... IN and per bulk upsert


@dataclass(frozen=True)
class FeedbackScore:
    """What the scoring layer says about one comment."""

    language: str
    sentiment: float
    label: str
    category: str
    reason: str


def score_feedback(text: str) -> FeedbackScore:
    """Return the language, sentiment, label and category of a comment."""
    language = detect_language(text)
    # The rules see the lexicon's tone; the stored score also weighs in the category.
    tone = score_sentiment(text, language)
    match = categorize_feedback(text, language=language, sentiment=tone)
    sentiment = round(blend_with_category(tone, match.category), 4)
    return FeedbackScore(
        language=language,
        sentiment=sentiment,
        label=label_for(sentiment),
        category=match.category,
        reason=match.reason,
    )


def feedback_text(entry: Entry) -> str:
    """Return the words of an entry to score: its text, and its title when that adds any."""
    text = plain_text(entry.content_html, is_html=True) or entry.summary_text
    # Feed boilerplate and bare links are no one's words: they only blur the language.
    text = " ".join(_URL.sub(" ", without_boilerplate(text)).split())
    title = " ".join((entry.title or "").split())
    # Feeds of comments often title an entry with the start of its text: count it once.
    if title and not text.startswith(title.rstrip("…").rstrip()):
        text = f"{title}. {text}" if text else title
    return text


def is_feedback():
    """Return the condition of a follower's entry: of a feedback channel, or a reply."""
    # Replies under an own post are feedback whatever the role of the post's channel.
    return (Channel.role == "feedback") | Entry.parent_id.is_not(None)


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
    """Score the given entries of feedback channels and replies (others skipped); count them."""
    scored = 0
    milestones: dict[int, list[Milestone]] = {}
    ids = list(entry_ids)
    for start in range(0, len(ids), _CHUNK):
        entries = list(
            session.scalars(
                select(Entry)
                .join(Channel, Channel.id == Entry.channel_id)
                .where(Entry.id.in_(ids[start : start + _CHUNK]), is_feedback())
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
        .where(is_feedback())
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
