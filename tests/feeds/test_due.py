"""The cron poll's question "is anything due?" (Core) agrees with what the poller claims."""

from datetime import timedelta, timezone

from sqlalchemy import update

from tests.factories import make_campaign
from tests.factories.feeds import make_channel
from tracker.feeds.claims import claim_due
from tracker.feeds.due import count_due
from tracker.models import Channel, utcnow


def test_count_due_counts_what_the_poller_claims(session):
    now = utcnow().replace(microsecond=500_000)
    campaign = make_campaign(session)
    due = [make_channel(session, campaign, now=now - timedelta(seconds=s)) for s in (0, 1, 90)]
    later = make_channel(session, campaign, now=now + timedelta(microseconds=1))
    paused = make_channel(session, campaign, now=now - timedelta(hours=1))
    make_channel(session, campaign, feed_url=None, polled=False)  # kept by hand
    session.execute(update(Channel).where(Channel.id == paused.id).values(state="paused"))
    session.commit()
    berlin = now.astimezone(timezone(timedelta(hours=2)))  # any zone means the same instant

    with session.get_bind().connect() as connection:
        counts = [count_due(connection, now=moment) for moment in (now, berlin)]
        sooner = count_due(connection, now=now - timedelta(hours=2))
    claimed = claim_due(session, now=now, limit=100)

    assert counts == [len(due), len(due)] and sooner == 0
    assert sorted(claim.id for claim in claimed) == sorted(channel.id for channel in due)
    assert later.id not in {claim.id for claim in claimed}
