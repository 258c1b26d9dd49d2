"""Channels that existed before connectors: their discovery label moves to origin, kind is feed."""

import pytest
from sqlalchemy import text

from tests.test_migration_keeps_rows import insert_campaign_with_channel
from tests.test_schema import empty_engine  # noqa: F401  (the fixture)
from tracker.schema import upgrade

BEFORE = "0020"  # the last revision without channels.kind as the connector


@pytest.mark.usefixtures("empty_engine")
def test_existing_channels_become_feeds_and_keep_how_they_were_found(empty_engine):  # noqa: F811
    upgrade(empty_engine, BEFORE)
    with empty_engine.begin() as connection:
        insert_campaign_with_channel(connection, "mastodon-profile")
    upgrade(empty_engine)
    with empty_engine.connect() as connection:
        row = connection.execute(text("SELECT kind, origin FROM channels")).one()
    assert tuple(row) == ("feed", "mastodon-profile")
