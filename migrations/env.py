"""Alembic environment: the schema is SQLModel.metadata of tracker.models."""

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import tracker.models  # noqa: F401  (registers every table)
from tracker.jobs.queue import TABLE_PREFIX

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url"),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(config.get_main_option("sqlalchemy.url"))
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _include_name(name, type_, _parent_names) -> bool:
    # A PostgreSQL job queue in the same database keeps Huey's tables: not ours to diff.
    return not (type_ == "table" and name and name.startswith(f"{TABLE_PREFIX}_"))


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_name=_include_name,
        # SQLite cannot ALTER most things: batch mode recreates the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
