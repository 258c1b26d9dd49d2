"""Load the demo campaign from files in the repository, idempotently and offline."""

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session

from tracker.accounts.users import create_user, find_user
from tracker.campaigns.campaigns import CampaignInput, create_campaign, find_campaign
from tracker.campaigns.milestones import MilestoneInput, add_milestone
from tracker.demo.feedback import load_demo_feedback
from tracker.demo.feeds import load_demo_feeds
from tracker.demo.files import read_demo_file
from tracker.demo.pledges import load_demo_pledges
from tracker.demo.report import ReportRenderer, load_demo_report
from tracker.models import Actor, MilestoneChange
from tracker.money import parse_major_amount

DEMO_ACTOR = Actor(label="demo")


@dataclass(frozen=True)
class DemoResult:
    """What loading the demo did."""

    slug: str
    created: bool
    owner_email: str
    owner_password: str


def load_demo(
    session: Session, *, today: date, render_report: ReportRenderer | None = None
) -> DemoResult:
    """Create the demo founder and campaign unless they exist; dates are relative to today.

    With `render_report` (see tracker.demo.report) the demo also publishes its report.
    """
    spec = json.loads(read_demo_file("campaign.json"))
    owner_spec, campaign_spec = spec["owner"], spec["campaign"]
    result = DemoResult(campaign_spec["slug"], False, owner_spec["email"], owner_spec["password"])
    existing = find_campaign(session, campaign_spec["slug"])
    if existing is not None:
        load_demo_feeds(session, existing, today=today)  # demos loaded before feeds existed
        load_demo_feedback(session, existing, today=today)
        _publish_report(session, existing, today, render_report)
        return result
    owner = find_user(session, owner_spec["email"]) or create_user(
        session, email=owner_spec["email"], password=owner_spec["password"]
    )
    currency = campaign_spec["currency"]
    campaign = create_campaign(
        session,
        owner=owner,
        data=CampaignInput(
            slug=campaign_spec["slug"],
            title=campaign_spec["title"],
            tagline=campaign_spec["tagline"],
            description_md=campaign_spec["description_md"],
            goal_minor=parse_major_amount(campaign_spec["goal_major"], currency),
            currency=currency,
            starts_on=today + timedelta(days=campaign_spec["starts_in_days"]),
            ends_on=today + timedelta(days=campaign_spec["ends_in_days"]),
            platform=campaign_spec["platform"],
            platform_url=campaign_spec["platform_url"],
            language=campaign_spec["language"],
            is_public=campaign_spec["is_public"],
        ),
    )
    for item in spec["milestones"]:
        _add_demo_milestone(session, campaign, item, today)
    load_demo_pledges(
        session, campaign, spec_bytes=read_demo_file("pledges.json"), actor=DEMO_ACTOR
    )
    load_demo_feeds(session, campaign, today=today)
    load_demo_feedback(session, campaign, today=today)
    _publish_report(session, campaign, today, render_report)
    return DemoResult(campaign.slug, True, owner.email, owner_spec["password"])


def _publish_report(session, campaign, today, render_report) -> None:
    if render_report is not None:
        session.flush()  # the report reads what was just loaded
        load_demo_report(session, campaign, today=today, render=render_report, actor=DEMO_ACTOR)


def _add_demo_milestone(session, campaign, item, today):
    def day(offset):
        return today + timedelta(days=offset) if offset is not None else None

    threshold = item.get("threshold_major")
    milestone = add_milestone(
        session,
        campaign,
        MilestoneInput(
            title=item["title"],
            tag=item.get("tag"),
            due_on=day(item["planned_in_days"]),
            status=item["status"],
            progress=item.get("progress"),
            completed_on=day(item.get("completed_in_days")),
            description_md=item.get("description_md", ""),
            is_public=item.get("is_public", True),
            threshold_minor=parse_major_amount(threshold, campaign.currency) if threshold else None,
        ),
        actor=DEMO_ACTOR,
    )
    # Slips happened in the past: record them when they happened, with the reason the
    # team gave (the demo's posts tell the same story around those moments).
    for slip in item.get("slips", []):
        session.add(
            MilestoneChange(
                milestone_id=milestone.id,
                field="due_on",
                old_value=day(slip["from_in_days"]).isoformat(),
                new_value=day(slip["to_in_days"]).isoformat(),
                actor_label="demo",
                changed_at=datetime.combine(
                    day(slip["at_in_days"]), time(slip.get("at_hour", 12)), tzinfo=UTC
                ),
                reason=slip.get("reason", ""),
            )
        )
    session.flush()
