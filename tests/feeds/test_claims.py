"""Claims in SQLAlchemy Core: the same columns as the model, the same channels due."""

from datetime import timedelta, timezone

from sqlalchemy import update

from tests.factories import make_campaign
from tests.factories.feeds import make_channel
from tracker.feeds.claims import (
    CHANNELS,
    NotModified,
    claim_due,
    count_due,
    next_due_at,
    record_not_modified,
)
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


def test_304s_written_together_in_core_read_back_through_the_model(session):
    campaign = make_campaign(session)
    first, second = make_channel(session, campaign), make_channel(session, campaign)
    first.consecutive_errors = 3
    session.commit()
    now = utcnow().replace(microsecond=250_000)
    berlin = timezone(timedelta(hours=2))
    stamp, hour = "Fri, 27 Nov 2026 10:00:00 GMT", timedelta(hours=1)

    with session.get_bind().begin() as connection:
        record_not_modified(
            connection,
            [
                NotModified(first.id, now.astimezone(berlin), '"v2"', stamp, now + hour),
                NotModified(second.id, now, None, None, now + timedelta(hours=2)),
            ],
        )
    session.refresh(first)
    session.refresh(second)

    assert (first.last_polled_at, first.last_success_at) == (now, now)
    assert first.next_poll_at == now + timedelta(hours=1)
    assert (first.etag, first.last_modified, first.consecutive_errors) == ('"v2"', stamp, 0)
    assert (second.last_success_at, second.next_poll_at) == (now, now + timedelta(hours=2))
    assert (second.etag, second.last_modified) == (None, None)
