"""`tracker db`: migrate the database."""

import click
from flask.cli import with_appcontext

from tracker.db import get_engine
from tracker.schema import current_revision, upgrade


@click.group("db", help="Manage the database schema.")
def db_group():
    pass


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Alembic revision.")
@with_appcontext
def upgrade_command(revision):
    """Migrate the database to the newest schema (Alembic to head)."""
    engine = get_engine()
    upgrade(engine, revision)
    click.echo(f"database at revision {current_revision(engine)}")


COMMANDS = (db_group,)
