"""The migrations are the one schema truth: one head, no drift, upgrade from empty."""

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlmodel import SQLModel

import tracker.models  # noqa: F401
from tests.conftest import drop_schema, postgres_schema_url
from tracker.db import make_engine
from tracker.schema import current_revision, head_revisions, upgrade


def test_single_head():
    assert len(head_revisions()) == 1


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_engine(request, tmp_path):
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    else:
        schema = f"m_{os.getpid()}"
        engine = make_engine(postgres_schema_url(schema))
    yield engine
    engine.dispose()
    if request.param == "postgresql":
        drop_schema(schema)


def test_upgrade_from_empty_reaches_head_and_matches_models(empty_engine):
    assert current_revision(empty_engine) is None
    upgrade(empty_engine)
    assert current_revision(empty_engine) == head_revisions()[0]
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []
