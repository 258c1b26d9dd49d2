"""The public JSON summary of a campaign (documented in the README): figures, roadmap."""

from sqlmodel import Session

from tracker.campaigns.milestones import history_of, milestones_of, timing_of
from tracker.campaigns.timeline import last_update_at
from tracker.dates import today_in
from tracker.models import Campaign
from tracker.pledges.funding import FundingSummary
from tracker.public.community import community_json, community_of
from tracker.public.figures_source import figures_source_json, live_figures_stale

FORMAT_VERSION = 1


def campaign_summary(
    session: Session,
    campaign: Campaign,
    *,
    funding: FundingSummary,
    url: str,
    image_url: str | None = None,
) -> dict:
    """Return what a public page shows, as plain JSON values (money in minor units)."""
    today = today_in(campaign.timezone)
    roadmap = milestones_of(session, campaign.id, public_only=True)
    history = history_of(session, [m.id for m in roadmap])
    last_update = last_update_at(session, campaign)
    projection = funding.projection
    return {
        "version": FORMAT_VERSION,
        "slug": campaign.slug,
        "url": url,
        "title": campaign.title,
        "tagline": campaign.tagline,
        "language": campaign.language,
        "timezone": campaign.timezone,
        # Links and the hero image: absolute addresses, or null when the founder gave none.
        "platform_url": campaign.platform_url or None,
        "late_pledge_url": campaign.late_pledge_url or None,
        "image_url": image_url,
        "starts_on": campaign.starts_on.isoformat(),
        "ends_on": campaign.ends_on.isoformat(),
        "days_left": funding.days_left,
        "ended": funding.ended,
        "currency": funding.currency,
        "goal_minor": funding.goal_minor,
        "pledged_minor": funding.net_minor,
        "collected_minor": funding.collected_minor,
        "backers": funding.backers,
        "retrying_minor": funding.retrying_minor,
        "percent_of_goal": round(funding.percent_of_goal, 2),
        "source": funding.source,
        # Where the total comes from (live, report, snapshots) and when it was read.
        "figures_source": figures_source_json(
            funding, stale=live_figures_stale(session, campaign, funding)
        ),
        "other_currencies": [
            {
                "currency": other.currency,
                "pledges": other.pledges,
                "pledged_minor": other.net_minor,
                "retrying_minor": other.retrying_minor,
            }
            for other in funding.other_currencies
        ],
        "projection": None
        if projection is None
        else {
            "expected_minor": projection.expected_minor,
            "low_minor": projection.low_minor,
            "high_minor": projection.high_minor,
        },
        "stretch_goals": [
            {"title": g.title, "threshold_minor": g.threshold_minor, "reached": g.reached}
            for g in funding.stretch_goals
        ],
        "milestones": [
            _milestone(m, timing_of(m, history[m.id], today, funded_minor=funding.net_minor))
            for m in roadmap
        ],
        "last_update_at": last_update.isoformat() if last_update else None,
        # Latest follower count of each updates channel; null when none was counted.
        "followers": community_json(community_of(session, campaign)),
    }


def _milestone(milestone, timing) -> dict:
    return {
        "title": milestone.title,
        "tag": milestone.tag,
        "status": milestone.status,
        "progress": milestone.progress,
        "first_planned_on": timing.first_planned.isoformat(),
        "planned_on": timing.planned.isoformat(),
        "completed_on": timing.completed_on.isoformat() if timing.completed_on else None,
        "days_late": timing.days_late,
        # Every change of the planned date, oldest first, with the reason shown beside it.
        "moves": [
            {
                "from": move.previous.isoformat(),
                "to": move.to.isoformat(),
                "reason": move.reason or None,
                "moved_at": move.at.isoformat(),
            }
            for move in timing.moves
        ],
        "threshold_minor": milestone.threshold_minor,
        # A stretch goal: whether the total has reached it (None for other milestones).
        "unlocked": None if milestone.threshold_minor is None else not timing.locked,
    }
