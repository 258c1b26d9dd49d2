"""`tracker subscribers SLUG [--json]`: how many subscribe, per state and language; no address."""

import json

import click
from flask.cli import with_appcontext

from tracker.campaigns.campaigns import find_campaign
from tracker.cli import fail_on_bad_input
from tracker.db import get_session
from tracker.errors import NotFound
from tracker.mail.subscribers import subscriber_counts


@click.command("subscribers", help="Count a campaign's e-mail subscribers (never addresses).")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@with_appcontext
def subscribers_command(slug, as_json):
    """Print the campaign's subscribers per state and language."""
    session = get_session()
    campaign = find_campaign(session, slug)
    if campaign is None:
        raise fail_on_bad_input(NotFound(f"campaign '{slug}'"))
    counts = subscriber_counts(session, campaign)
    if as_json:
        click.echo(json.dumps({"campaign": slug, **counts}, sort_keys=True))
        return
    for state, languages in counts.items():
        by_language = ", ".join(f"{language} {count}" for language, count in languages.items())
        click.echo(f"{state}: {sum(languages.values())} ({by_language})")


COMMANDS = (subscribers_command,)
