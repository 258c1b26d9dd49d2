"""`tracker feeds` add, list, import-opml, resume, relink and `tracker channels`: follow a
campaign's feeds and record follower counts (`tracker feeds poll` is in tracker.cli.feeds)."""

import json
from datetime import UTC
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.campaigns.campaigns import find_campaign
from tracker.cli import fail_on_bad_input
from tracker.cli.feeds import feeds_group
from tracker.cli.params import ID, CountType
from tracker.connectors.channels import add_connector_channel, check_platform_shape
from tracker.connectors.counts import latest_counts
from tracker.connectors.kinds import KINDS, choose_kind
from tracker.db import get_session
from tracker.errors import InvalidInput, NotFound
from tracker.feeds.channel_lists import channels_of
from tracker.feeds.channels import (
    add_channel,
    find_channel,
    max_channels,
    page_fetcher,
    resume_channel,
)
from tracker.feeds.fetch_policy import fetch_policy
from tracker.feeds.followers import (
    MAX_COUNT,
    FollowerCsvRejected,
    import_followers_csv,
    record_followers,
)
from tracker.feeds.milestone_links import relink_campaign
from tracker.feeds.opml import MAX_OPML_BYTES, OpmlError, import_opml
from tracker.models import CHANNEL_ROLES, utcnow
from tracker.models.feeds import PENDING_ORIGIN
from tracker.validation import is_ascii_digits

ROLE = click.Choice(CHANNEL_ROLES)


class ChannelRef(click.ParamType):
    """A channel's id (an ID, range-checked) or its feed or pasted URL."""

    name = "channel"

    def convert(self, value, param, ctx):
        text = str(value).strip()
        if is_ascii_digits(text):
            ID.convert(text, param, ctx)  # fails with the reason past the id range
        return text


CHANNEL = ChannelRef()


def _campaign(session, slug):
    campaign = find_campaign(session, slug)
    if campaign is None:
        raise fail_on_bad_input(NotFound(f"campaign '{slug}'"))
    return campaign


def _channel(session, campaign, ref):
    try:
        return find_channel(session, campaign, ref)
    except NotFound as error:
        raise fail_on_bad_input(error) from None


@feeds_group.command("add")
@click.argument("slug")
@click.argument("url")
@click.option(
    "--role",
    type=ROLE,
    default="updates",
    show_default=True,
    help="updates: own posts; feedback: followers.",
)
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    default=None,
    help="Read it with this connector (default: detected from the URL's host and path).",
)
@click.option("--commits", is_flag=True, help="For a GitHub repository: commits, not releases.")
@with_appcontext
def add_command(slug, url, role, kind, commits):
    """Follow URL (a profile, project, repository, page or feed; a feed is looked for)."""
    session = get_session()
    campaign = _campaign(session, slug)
    limit = max_channels(current_app.config)
    try:
        kind = choose_kind(url, kind)
        if kind == "feed":
            check_platform_shape(url)  # before the page is fetched
            fetcher = page_fetcher(fetch_policy(current_app.config))
            channel = add_channel(
                session,
                campaign,
                text=url,
                role=role,
                fetch_page=fetcher,
                github_commits=commits,
                max_channels=limit,
            ).channel
        else:
            channel = add_connector_channel(
                session, campaign, url=url, kind=kind, role=role, max_channels=limit
            )
    except InvalidInput as error:
        raise fail_on_bad_input(error) from None
    session.commit()
    where = channel.feed_url or f"{channel.source_url} (kept by hand: no feed)"
    click.echo(f"channel {channel.id}: {where} [{channel.origin}, {role}]")


@feeds_group.command("list")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@with_appcontext
def list_command(slug, as_json):
    """List the campaign's channels: URL, role, state, last error and entry count."""
    session = get_session()
    rows = channels_of(session, _campaign(session, slug))
    counts = latest_counts(session, [row.channel.id for row in rows])
    records = [
        {
            "id": row.channel.id,
            "url": row.channel.feed_url or row.channel.source_url,
            "kind": row.channel.kind,
            "origin": row.channel.origin,
            "role": row.channel.role,
            "state": _state(row.channel),
            "last_polled_at": _iso(row.channel.last_polled_at),
            "last_error": row.channel.last_error if row.channel.consecutive_errors else None,
            "consecutive_errors": row.channel.consecutive_errors,
            "entries": row.entries,
            "followers": row.followers,
            "counts": counts.get(row.channel.id, {}),  # a repository's stars, forks ...
        }
        for row in rows
    ]
    if as_json:
        click.echo(json.dumps(records, indent=2))
        return
    if not records:
        click.echo(f"{slug}: no channels")
    for r in records:
        error = f"  last error: {r['last_error']}" if r["last_error"] else ""
        click.echo(
            f"{r['id']:>4}  {r['role']:<8} {r['state']:<7} {r['entries']:>5} entries  "
            f"{r['url']}{error}"
        )


def _iso(value):
    return value.isoformat() if value else None


def _state(channel) -> str:
    if channel.polled:
        return channel.state
    # Added on the dashboard, its feed not found (yet): the worker looks for it.
    return "pending" if channel.origin == PENDING_ORIGIN else "by hand"


@feeds_group.command("import-opml")
@click.argument("slug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--role", type=ROLE, required=True)
@with_appcontext
def import_opml_command(slug, path, role):
    """Follow every feed of an OPML file; report each outline that could not be used."""
    session = get_session()
    campaign = _campaign(session, slug)
    with path.open("rb") as file:
        data = file.read(MAX_OPML_BYTES + 1)  # read_opml refuses what is larger
    try:
        result = import_opml(
            session, campaign, data, role=role, max_channels=max_channels(current_app.config)
        )
    except OpmlError as error:
        raise click.ClickException(f"{path.name}: {error}") from None
    session.commit()
    for problem in result.problems:
        click.echo(f"{path.name}: {problem}", err=True)
    click.echo(f"{len(result.added)} channels added, {len(result.problems)} outlines not used")
    if not result.added and result.problems:
        raise click.ClickException(f"{path.name}: no usable outline")


@feeds_group.command("resume")
@click.argument("slug")
@click.argument("channel", type=CHANNEL)
@with_appcontext
def resume_command(slug, channel):
    """Resume polling a paused channel (CHANNEL: its id or URL)."""
    session = get_session()
    found = _channel(session, _campaign(session, slug), channel)
    resume_channel(session, found, now=utcnow())
    session.commit()
    click.echo(f"channel {found.id} resumed")


@feeds_group.command("relink")
@click.argument("slug")
@with_appcontext
def relink_command(slug):
    """Link own updates to milestones again, e.g. after a milestone's tag or title changed."""
    session = get_session()
    links = relink_campaign(session, _campaign(session, slug))
    session.commit()
    click.echo(f"{slug}: {links} automatic links")


@click.group("channels", help="Record what feeds do not carry, such as follower counts.")
def channels_group():
    pass


@channels_group.command("followers")
@click.argument("slug")
@click.argument("channel", type=CHANNEL)
@click.argument("count", type=CountType(0, MAX_COUNT))
@click.option(
    "--at",
    "taken_at",
    type=click.DateTime(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]),
    help="When the profile showed this count (UTC); default now.",
)
@with_appcontext
def followers_command(slug, channel, count, taken_at):
    """Record a follower count (CHANNEL: the channel's id, feed URL or pasted URL)."""
    session = get_session()
    found = _channel(session, _campaign(session, slug), channel)
    try:
        record_followers(
            session,
            found,
            count=count,
            taken_at=taken_at.replace(tzinfo=UTC) if taken_at else None,
            source="cli",
            now=utcnow(),
        )
    except InvalidInput as error:
        raise fail_on_bad_input(error) from None
    session.commit()
    click.echo(f"channel {found.id}: {count} followers")


@channels_group.command("import-followers")
@click.argument("slug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_followers_command(slug, path):
    """Record follower counts from a CSV with the columns channel,taken_at,count."""
    session = get_session()
    campaign = _campaign(session, slug)
    try:
        snapshots = import_followers_csv(session, campaign, path.read_bytes(), now=utcnow())
    except FollowerCsvRejected as error:
        session.rollback()
        for row in error.errors[1:]:
            click.echo(f"{path.name}: {row}", err=True)
        raise click.ClickException(f"{path.name}: {error}") from None
    session.commit()
    click.echo(f"{len(snapshots)} follower counts recorded")


COMMANDS = (channels_group,)
