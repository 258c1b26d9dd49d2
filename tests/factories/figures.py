"""A campaign running for 20 days with pledges on most of them: what the figures tests read."""

from datetime import timedelta

from tests.factories import make_campaign, make_user
from tests.factories.reports import import_csv
from tracker.models import utcnow


def make_running_campaign(session, *, slug: str, pledges: list[tuple[int, int]]):
    """Return the owner and "Lumen Deck", 20 days in and 24 to go with a EUR 50,000 goal.

    pledges: (days after the start, whole euros) of each collected pledge, at 10:00 UTC.
    """
    today = utcnow().date()
    owner = make_user(session)
    campaign = make_campaign(
        session,
        owner=owner,
        slug=slug,
        title="Lumen Deck",
        goal_minor=5_000_000,
        starts_on=today - timedelta(days=20),
        ends_on=today + timedelta(days=24),
    )
    rows = ["external_id,amount,currency,pledged_at,tier,status"]
    for n, (day, euros) in enumerate(pledges):
        on = campaign.starts_on + timedelta(days=day)
        rows.append(f"p-{n},{euros}.00,EUR,{on.isoformat()}T10:00:00Z,Kit,collected")
    import_csv(session, campaign, "\n".join(rows) + "\n")
    return owner, campaign
