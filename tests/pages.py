"""Every public and founder page, seeded once, for the page-level tests (console, HTML, axe)."""

from datetime import date

from sqlalchemy import select

from tests.showcase import seed_showcase
from tracker.campaigns.rewards import add_reward_tier
from tracker.models import Actor, Channel, Milestone
from tracker.reports.periods import Period
from tracker.reports.publishing import publish_report

MISSING = "/c/no-such-campaign"
# (url, status): the missing campaign's page is a 404 and must pass every check too.
PUBLIC_PAGES = [
    ("/", 200),
    ("/c/lumen-deck", 200),
    ("/c/lumen-deck/timeline", 200),
    ("/c/lumen-deck/reports", 200),
    ("/c/lumen-deck/subscribe", 200),
    ("/auth/login", 200),
    ("/auth/register", 200),
    (MISSING, 404),
]
FOUNDER_PAGES = [
    "/dashboard/",
    "/dashboard/new",
    "/dashboard/lumen-deck/",
    "/dashboard/lumen-deck/edit",
    "/dashboard/lumen-deck/team",
    "/dashboard/lumen-deck/funding/",
    "/dashboard/lumen-deck/funding/imports",
    "/dashboard/lumen-deck/funding/tokens",
    "/dashboard/lumen-deck/feeds/",
    "/dashboard/lumen-deck/feedback/",
    "/dashboard/lumen-deck/feedback/insights",
    "/dashboard/lumen-deck/feedback/alerts",
    "/dashboard/lumen-deck/insights/impact",
    "/dashboard/lumen-deck/reports/",
    "/dashboard/lumen-deck/rewards/",
    "/dashboard/lumen-deck/subscribers/",
    "/dashboard/lumen-deck/webhooks/",
    "/dashboard/lumen-deck/milestones/new",
]


def seed_pages(session):
    """Seed the showcase with a published report; return every founder page's URL."""
    _, campaign = seed_showcase(session)
    publish_report(
        session,
        campaign,
        pdf=b"%PDF-1.7 tiny",
        pages=1,
        period=Period(kind="month", start=date(2027, 1, 1), end=date(2027, 1, 31)),
        language="en",
        title="Progress report, January 2027",
        actor=Actor(label="test"),
    )
    # Two tiers: the rewards page shows its move buttons (the first and last have one each).
    tier = add_reward_tier(session, campaign, title="Early bird deck", price="189", limit="50")
    add_reward_tier(session, campaign, title="Assembled deck", price="249")
    session.commit()
    milestone = session.execute(select(Milestone).order_by(Milestone.id)).scalars().first()
    channel = session.execute(select(Channel).order_by(Channel.id)).scalars().first()
    return [
        *FOUNDER_PAGES,
        f"/dashboard/lumen-deck/milestones/{milestone.id}/edit",
        f"/dashboard/lumen-deck/feeds/channels/{channel.id}",
        f"/dashboard/lumen-deck/rewards/{tier.id}/edit",
    ]
