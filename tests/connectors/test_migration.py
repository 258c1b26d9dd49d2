"""Channels that existed before connectors: their discovery label moves to origin, kind is feed."""

import pytest
from sqlalchemy import text

from tests.test_schema import empty_engine  # noqa: F401  (the fixture)
from tracker.schema import upgrade

BEFORE = "0020"  # the last revision without channels.kind as the connector


@pytest.mark.usefixtures("empty_engine")
def test_existing_channels_become_feeds_and_keep_how_they_were_found(empty_engine):  # noqa: F811
    upgrade(empty_engine, BEFORE)
    with empty_engine.begin() as connection:
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
                "(1, 'updates', 'mastodon-profile', 'https://a.example/@x.rss', '', '', "
                "'active', true, 3600, 0, '2026-11-01 00:00:00')"
            )
        )
    upgrade(empty_engine)
    with empty_engine.connect() as connection:
        row = connection.execute(text("SELECT kind, origin FROM channels")).one()
    assert tuple(row) == ("feed", "mastodon-profile")
