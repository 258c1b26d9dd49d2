"""`tracker rewards`: a campaign's reward tiers, through the founder page's domain functions."""

import json

import click
from flask.cli import with_appcontext

from tracker.campaigns.campaigns import find_campaign
from tracker.campaigns.rewards import (
    add_reward_tier,
    move_reward_tier,
    remove_reward_tier,
    reward_tiers,
    update_reward_tier,
)
from tracker.cli import fail_on_bad_input
from tracker.cli.params import ID, TEXT, CountType
from tracker.db import get_session
from tracker.errors import InvalidInput, NotFound
from tracker.money import format_money

# What the options spell for "no limit" and "count the backers from the report", stored as None.
UNLIMITED, FROM_REPORT = "none", "report"


@click.group("rewards", help="Manage a campaign's reward tiers.")
def rewards_group():
    pass


@rewards_group.command("list")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, in the page's order.")
@with_appcontext
def list_command(slug, as_json):
    """List the tiers in the order the public page shows them (positions count from 1)."""
    session = get_session()
    campaign = _campaign(session, slug)
    tiers = reward_tiers(session, campaign)
    if as_json:
        click.echo(json.dumps([_as_dict(tier, n, campaign.currency) for n, tier in _places(tiers)]))
        return
    if not tiers:
        click.echo(f"{slug} has no reward tiers")
        return
    rows = [("POS", "ID", "PRICE", "LIMIT", "BACKERS", "TITLE")] + [
        (
            str(n),
            str(tier.id),
            format_money(tier.price_minor, campaign.currency),
            _count(tier.limit, UNLIMITED),
            _count(tier.backers, FROM_REPORT),
            tier.title,
        )
        for n, tier in _places(tiers)
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    for row in rows:
        click.echo(
            "".join(cell.ljust(width + 2) for cell, width in zip(row[:5], widths, strict=True))
            + row[5]
        )


@rewards_group.command("add")
@click.argument("slug")
@click.option("--title", required=True, type=TEXT)
@click.option("--price", required=True, help="In whole currency units, e.g. 89 or 89.50.")
@click.option("--limit", default="", help="How many there are (default: unlimited).")
@click.option("--backers", default="", help="Backers so far (default: from the backer report).")
@with_appcontext
def add_command(slug, title, price, limit, backers):
    """Add a tier at the end of the list."""
    session = get_session()
    try:
        campaign = _campaign(session, slug)
        tier = add_reward_tier(
            session, campaign, title=title, price=price, limit=limit, backers=backers
        )
    except (InvalidInput, NotFound) as error:
        raise fail_on_bad_input(error) from None
    session.commit()
    click.echo(
        f"added reward tier {tier.id} {tier.title!r} to {slug} at position {tier.position + 1}"
    )


@rewards_group.command("set")
@click.argument("slug")
@click.argument("tier_id", metavar="ID", type=ID)
@click.option("--title", type=TEXT)
@click.option("--price", help="In whole currency units, e.g. 89 or 89.50.")
@click.option("--limit", help=f"How many there are, or {UNLIMITED!r} for unlimited.")
@click.option("--backers", help=f"Backers so far, or {FROM_REPORT!r} to count them from it.")
@with_appcontext
def set_command(slug, tier_id, title, price, limit, backers):
    """Change a tier's title, price, limit or backers; all or nothing changes."""
    if title is None and price is None and limit is None and backers is None:
        raise click.UsageError("give at least one of --title, --price, --limit, --backers")
    session = get_session()
    try:
        campaign = _campaign(session, slug)
        tier = update_reward_tier(
            session,
            campaign,
            tier_id,
            title=title,
            price=price,
            limit="" if limit is not None and limit.strip().lower() == UNLIMITED else limit,
            backers=""
            if backers is not None and backers.strip().lower() == FROM_REPORT
            else backers,
        )
    except (InvalidInput, NotFound) as error:
        raise fail_on_bad_input(error) from None
    session.commit()
    click.echo(
        f"reward tier {tier.id} {tier.title!r}: {format_money(tier.price_minor, campaign.currency)}"
        f", limit {_count(tier.limit, UNLIMITED)}, backers {_count(tier.backers, FROM_REPORT)}"
    )


@rewards_group.command("remove")
@click.argument("slug")
@click.argument("tier_id", metavar="ID", type=ID)
@with_appcontext
def remove_command(slug, tier_id):
    """Remove a tier; the ones after it move up a place."""
    session = get_session()
    try:
        remove_reward_tier(session, _campaign(session, slug), tier_id)
    except NotFound as error:
        raise fail_on_bad_input(error) from None
    session.commit()
    click.echo(f"removed reward tier {tier_id} from {slug}")


@rewards_group.command("move")
@click.argument("slug")
@click.argument("tier_id", metavar="ID", type=ID)
@click.argument("direction", required=False, type=click.Choice(["up", "down"]))
@click.option("--to", type=CountType(minimum=1), help="The place to move it to; 1 is first.")
@with_appcontext
def move_command(slug, tier_id, direction, to):
    """Move a tier one place up or down, or to a place (--to N)."""
    if (direction is None) == (to is None):
        raise click.UsageError("give up, down or --to N")
    session = get_session()
    try:
        campaign = _campaign(session, slug)
        before = [tier.id for tier in reward_tiers(session, campaign)]
        place, total = move_reward_tier(session, campaign, tier_id, direction=direction, to=to)
    except (InvalidInput, NotFound) as error:
        raise fail_on_bad_input(error) from None
    session.commit()
    edge = "first" if direction == "up" else "last"
    stayed = f" (already the {edge})" if direction and before.index(tier_id) + 1 == place else ""
    click.echo(f"reward tier {tier_id} is at position {place} of {total}{stayed}")


def _campaign(session, slug):
    campaign = find_campaign(session, slug)
    if campaign is None:
        raise fail_on_bad_input(NotFound(f"campaign '{slug}'"))
    return campaign


def _places(tiers):
    return enumerate(tiers, start=1)


def _none_word(text: str | None, word: str) -> str | None:
    """Read the word that stands for None as the form's empty field."""
    return "" if text is not None and text.strip().lower() == word else text


def _count(value, none_word: str) -> str:
    return none_word if value is None else str(value)


def _as_dict(tier, place: int, currency: str) -> dict:
    return {
        "id": tier.id,
        "position": place,
        "title": tier.title,
        "price_minor": tier.price_minor,
        "currency": currency,
        "limit": tier.limit,
        "backers": tier.backers,
    }


COMMANDS = (rewards_group,)
