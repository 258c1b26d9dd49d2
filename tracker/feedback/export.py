"""The feedback sections of the campaign export: scores, reply states, notes, alert settings.

The export is the founding team's own backup, so it carries their private notes (as
"private_note", documented as private in docs/export-schema.json). The secret of the
private alert feed is not exported: a backup must not leak a working URL.
"""

from sqlalchemy import select
from sqlmodel import Session

from tracker.models import Campaign, Entry, Feedback, FeedbackSettings, Milestone


def _iso(value):
    return value.isoformat() if value is not None else None


def export_feedback(session: Session, campaign: Campaign) -> list[dict]:
    """Return each scored comment, oldest first, keyed like the exported entries."""
    rows = session.execute(
        select(Feedback, Entry.key, Milestone.position, Milestone.title)
        .join(Entry, Entry.id == Feedback.entry_id)
        .outerjoin(Milestone, Milestone.id == Feedback.milestone_id)
        .where(Feedback.campaign_id == campaign.id)
        .order_by(Feedback.published_at, Feedback.entry_id)
    ).all()
    return [
        {
            "channel_id": feedback.channel_id,
            "key": key,
            "language": feedback.language,
            "sentiment": feedback.sentiment,
            "label": feedback.label,
            "category": feedback.category,
            "reason": feedback.reason,
            "rules_version": feedback.rules_version,
            "state": feedback.state,
            "state_changed_at": _iso(feedback.state_changed_at),
            "milestone": (
                {"position": position, "title": title, "how": feedback.milestone_how}
                if feedback.milestone_id is not None
                else None
            ),
            "private_note": feedback.note,
            "answer_text": feedback.answer_text,
            "answer_url": feedback.answer_url,
        }
        for feedback, key, position, title in rows
    ]


def export_feedback_settings(session: Session, campaign: Campaign) -> dict | None:
    """Return the alert thresholds the team set (None while the defaults apply)."""
    settings = session.get(FeedbackSettings, campaign.id)
    if settings is None:
        return None
    return {
        "negative_share": settings.negative_share,
        "share_min_volume": settings.share_min_volume,
        "spike_min_count": settings.spike_min_count,
    }
