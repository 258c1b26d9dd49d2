"""Upgrading a SQLite database that holds a campaign keeps every row that references it."""

import pytest
from sqlalchemy import text

from tests.test_schema import empty_engine  # noqa: F401  (the fixture)
from tracker.schema import upgrade

# The last revision before campaigns gained columns in batch migrations that rebuild it.
BEFORE = "0015"


def insert_campaign_with_channel(connection, channel_kind: str) -> None:
    """Insert a user, a campaign and one channel as the schema of 0015 to 0020 holds them."""
    connection.execute(
        text(
            "INSERT INTO users (id, email, password_hash, created_at) "
            "VALUES (1, 'a@example.org', 'x', '2026-11-01 00:00:00')"
        )
    )
    connection.execute(
        text(
            "INSERT INTO campaigns (id, owner_id, slug, title, tagline, description_md, "
            "goal_minor, currency, starts_on, ends_on, platform, language, is_public, "
            "created_at, updated_at) VALUES (1, 1, 'synth', 'Synth', '', '', 100, 'EUR', "
            "'2026-11-01', '2026-12-01', 'kickstarter', 'en', true, "
            "'2026-11-01 00:00:00', '2026-11-01 00:00:00')"
        )
    )
    connection.execute(
        text(
            "INSERT INTO channels (campaign_id, role, kind, feed_url, source_url, title, "
            "state, polled, poll_interval, consecutive_errors, created_at) VALUES "
            "(1, 'updates', :kind, 'https://a.example/@x.rss', '', '', "
            "'active', true, 3600, 0, '2026-11-01 00:00:00')"
        ),
        {"kind": channel_kind},
    )


@pytest.mark.usefixtures("empty_engine")
def test_rebuilding_campaigns_keeps_the_channels_that_reference_it(empty_engine):  # noqa: F811
    upgrade(empty_engine, BEFORE)
    with empty_engine.begin() as connection:
        insert_campaign_with_channel(connection, "manual")
    upgrade(empty_engine)
    with empty_engine.connect() as connection:
        campaigns = connection.execute(text("SELECT count(*) FROM campaigns")).scalar()
        channels = connection.execute(text("SELECT count(*) FROM channels")).scalar()
        if connection.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    assert (campaigns, channels) == (1, 1)
