"""The whole campaign as JSON: a founder's backup and way out (docs/export-schema.json)."""

from collections.abc import Callable
from datetime import date, datetime

from sqlmodel import Session

from tracker.campaigns.campaigns import team_of
from tracker.campaigns.hero import hero_files
from tracker.campaigns.milestones import history_of, milestones_of
from tracker.campaigns.rewards import export_reward_tiers
from tracker.feedback.export import export_feedback, export_feedback_settings
from tracker.feeds.export import export_channels, export_entries
from tracker.mail.subscribers import subscriber_counts
from tracker.models import Campaign, utcnow
from tracker.pledges.export import (
    export_funding,
    export_imports,
    export_pledges,
    export_snapshots,
    export_update_effects,
)
from tracker.reports.publishing import export_reports
from tracker.webhooks.hooks import export_hooks

FORMAT = "tracker-export"
VERSION = 1


def export_campaign(session: Session, campaign: Campaign) -> dict:
    """Return the campaign and everything recorded about it, without backer personal data."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": utcnow().isoformat(),
        "campaign": _campaign(campaign),
    }
    for name, section in SECTIONS:
        document[name] = section(session, campaign)
    return document


def _campaign(campaign: Campaign) -> dict:
    return {
        "slug": campaign.slug,
        "title": campaign.title,
        "tagline": campaign.tagline,
        "description_md": campaign.description_md,
        "goal": {"amount_minor": campaign.goal_minor, "currency": campaign.currency},
        "starts_on": campaign.starts_on.isoformat(),
        "ends_on": campaign.ends_on.isoformat(),
        "platform": campaign.platform,
        "language": campaign.language,
        "is_public": campaign.is_public,
        "created_at": campaign.created_at.isoformat(),
        "platform_url": campaign.platform_url,
        "late_pledge_url": campaign.late_pledge_url,
        "video": {"url": campaign.video_url, "embed": campaign.video_embed},
        "public_feedback": campaign.public_feedback,
        "public_rewards": campaign.public_rewards,
        "attach_report_pdf": campaign.attach_report_pdf,
        "hero_image": _hero_image(campaign),
    }


def _hero_image(campaign: Campaign) -> dict | None:
    # The largest file's name in the media folder, not its bytes: the export stays text.
    files = hero_files(campaign)
    if not files:
        return None
    largest = files[-1]
    return {
        "file": largest.name,
        "width": largest.width,
        "height": largest.height,
        "description": campaign.image_alt,
    }


def _team(session: Session, campaign: Campaign) -> list[dict]:
    return [{"email": user.email, "role": role} for user, role in team_of(session, campaign)]


def _milestones(session: Session, campaign: Campaign) -> list[dict]:
    roadmap = milestones_of(session, campaign.id)
    history = history_of(session, [m.id for m in roadmap])
    return [
        {
            "position": m.position,
            "title": m.title,
            "description_md": m.description_md,
            "tag": m.tag,
            "due_on": _iso(m.due_on),
            "status": m.status,
            "progress": m.progress,
            "completed_on": _iso(m.completed_on),
            "is_public": m.is_public,
            "threshold_minor": m.threshold_minor,
            "history": [
                {
                    "field": c.field,
                    "from": c.old_value,
                    "to": c.new_value,
                    "by": c.actor_label,
                    "at": c.changed_at.isoformat(),
                    "reason": c.reason,
                }
                for c in history[m.id]
            ],
        }
        for m in roadmap
    ]


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# Each area adds its section here; keys are documented in docs/export-schema.json.
SECTIONS: tuple[tuple[str, Callable[[Session, Campaign], object]], ...] = (
    ("team", _team),
    ("milestones", _milestones),
    ("funding", export_funding),
    ("pledge_imports", export_imports),
    ("pledges", export_pledges),
    ("funding_snapshots", export_snapshots),
    ("update_effects", export_update_effects),
    ("channels", export_channels),
    ("entries", export_entries),
    ("feedback", export_feedback),
    ("feedback_settings", export_feedback_settings),
    ("reports", export_reports),
    ("reward_tiers", export_reward_tiers),
    ("webhooks", export_hooks),  # URLs masked, secrets never: see the schema
    ("subscribers", subscriber_counts),  # counts only: addresses never leave their table
)
