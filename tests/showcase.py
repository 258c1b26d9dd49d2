"""A public campaign with every kind of milestone, for the page-level tests (i18n, HTML, axe)."""

from datetime import date, timedelta

from sqlalchemy import select

from tests.factories import make_campaign, make_milestone, make_user
from tests.factories.feedback import comment, make_feedback_channel, post_comments
from tests.factories.feeds import make_channel
from tests.factories.pledges import import_file
from tracker.campaigns.milestones import change_milestone
from tracker.feedback.replies import set_state
from tracker.feeds.followers import record_followers
from tracker.feeds.store import store_entries
from tracker.models import Actor, Feedback, utcnow

SHOWCASE_EMAIL = "showcase@example.com"
SECRET_TITLE = "Secret supplier deal"


def seed_showcase(session, slug="lumen-deck"):
    """Create a public campaign with done, slipped, in-progress, dropped and private milestones."""
    owner = make_user(session, email=SHOWCASE_EMAIL)
    campaign = make_campaign(
        session,
        owner,
        slug=slug,
        title="Lumen Deck",
        tagline="A pocket synth for tinkerers",
        description_md="## Why\n\nA synth you can **open**, with [schematics](https://example.com).",
        goal_minor=4_800_000,
        currency="EUR",
        starts_on=date(2027, 1, 15),
        ends_on=date(2027, 3, 1),
    )
    make_milestone(
        session,
        campaign,
        title="Prototype",
        due_on=date(2027, 1, 10),
        status="done",
        completed_on=date(2027, 1, 13),
    )
    slipped = make_milestone(
        session,
        campaign,
        title="Firmware beta",
        due_on=date(2027, 3, 1),
        tag="beta",
        threshold_minor=6_000_000,
    )
    change_milestone(
        session, slipped, actor=Actor(label="test"), due_on=date(2027, 4, 20), status="delayed"
    )
    session.commit()
    make_milestone(session, campaign, title=SECRET_TITLE, due_on=date(2027, 5, 1), is_public=False)
    make_milestone(
        session,
        campaign,
        title="Shipping",
        due_on=date(2030, 9, 1),
        status="in_progress",
        progress=10,
        description_md="Boxes **and** labels.",
    )
    make_milestone(
        session, campaign, title="Add-on cables", due_on=date(2030, 10, 1), status="dropped"
    )
    _add_activity(session, campaign)
    return owner, campaign


def _add_activity(session, campaign):
    """Give the page funding, own updates (some linked) and answered feedback to show."""
    import_file(session, campaign, "ledger/kickstarter_v2.csv")
    now = utcnow()
    updates = make_channel(session, campaign)
    store_entries(
        session,
        updates,
        [
            comment(f"Devlog {n}: the #beta sequencer", at=now - timedelta(days=n), author="Team")
            for n in range(1, 25)
        ],
        now=now,
    )
    # Followers across channels: a count a week ago and today, on the dashboard and the page.
    for days_ago, count in ((8, 1_180), (0, 1_234)):
        record_followers(
            session,
            updates,
            count=count,
            taken_at=now - timedelta(days=days_ago),
            source="cli",
            now=now,
        )
    feedback = make_feedback_channel(session, campaign)
    post_comments(
        session,
        feedback,
        [
            comment("When will the beta ship to backers?", at=now - timedelta(hours=5)),
            comment("Love the transparency, thank you!", at=now - timedelta(hours=4)),
        ],
        now=now,
    )
    question = session.execute(select(Feedback).order_by(Feedback.published_at)).scalars().first()
    set_state(session, question, "answered")
    session.commit()
