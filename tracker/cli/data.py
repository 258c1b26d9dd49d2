"""`tracker demo` and `tracker export`: load the demo campaign, write a campaign as JSON."""

import json

import click
from flask.cli import with_appcontext

from tracker.campaigns.campaigns import find_campaign
from tracker.db import get_session
from tracker.demo.loader import load_demo
from tracker.export import export_campaign
from tracker.models import utcnow


@click.command("demo")
@with_appcontext
def demo_command():
    """Load the demo campaign (idempotent, offline)."""
    session = get_session()
    result = load_demo(session, today=utcnow().date())
    session.commit()
    state = "loaded" if result.created else "already loaded"
    click.echo(
        f"demo campaign /c/{result.slug} {state}; founder login "
        f"{result.owner_email} / {result.owner_password}"
    )


@click.command("export")
@click.argument("slug")
@click.option(
    "-o",
    "--output",
    type=click.File("w", encoding="utf-8"),
    default="-",
    help="File to write (default: standard output).",
)
@with_appcontext
def export_command(slug, output):
    """Write the whole campaign as JSON (schema: docs/export-schema.json)."""
    session = get_session()
    campaign = find_campaign(session, slug)
    if campaign is None:
        raise click.ClickException(f"not found: campaign '{slug}'")
    json.dump(export_campaign(session, campaign), output, ensure_ascii=False, indent=2)
    output.write("\n")


COMMANDS = (demo_command, export_command)
