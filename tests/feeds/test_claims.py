"""Claims in SQLAlchemy Core: the same columns as the model, the same channels due."""

from datetime import timedelta, timezone

from sqlalchemy import update

from tests.factories import make_campaign
from tests.factories.feeds import make_channel
from tracker.feeds.claims import CHANNELS, claim_due, count_due, next_due_at, record_not_modified
from tracker.models import Channel, UTCDateTime, utcnow


def test_the_poller_columns_are_the_model_columns():
    model = Channel.__table__
    assert CHANNELS.name == model.name
    for core in CHANNELS.c:
        column = model.c[core.name]
        if isinstance(column.type, UTCDateTime):
            assert core.type.__class__.__name__ == "_UTCDateTime", core.name
        else:
            assert core.type._type_affinity is column.type._type_affinity, core.name


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
        first = next_due_at(connection)
    claimed = claim_due(session, now=now, limit=100)

    assert counts == [len(due), len(due)] and sooner == 0
    assert first == now - timedelta(seconds=90)
    assert sorted(claim.id for claim in claimed) == sorted(channel.id for channel in due)
    assert later.id not in {claim.id for claim in claimed}


def test_a_304_written_in_core_reads_back_through_the_model(session):
    channel = make_channel(session, make_campaign(session))
    channel.consecutive_errors = 3
    session.commit()
    now = utcnow().replace(microsecond=250_000)
    berlin = timezone(timedelta(hours=2))

    with session.get_bind().begin() as connection:
        record_not_modified(
            connection,
            channel.id,
            now=now.astimezone(berlin),
            etag='"v2"',
            last_modified="Fri, 27 Nov 2026 10:00:00 GMT",
            next_poll_at=now + timedelta(hours=1),
        )
    session.refresh(channel)

    assert (channel.last_polled_at, channel.last_success_at) == (now, now)
    assert channel.next_poll_at == now + timedelta(hours=1)
    assert (channel.etag, channel.last_modified) == ('"v2"', "Fri, 27 Nov 2026 10:00:00 GMT")
    assert channel.consecutive_errors == 0
