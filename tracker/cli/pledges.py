"""`tracker pledges`: import backer reports, push totals, print the funding summary."""

import json
from datetime import UTC
from pathlib import Path

import click
from flask.cli import with_appcontext

from tracker.campaigns.campaigns import find_campaign
from tracker.cli import fail_on_bad_input
from tracker.cli.params import COUNT
from tracker.dates import today_in
from tracker.db import get_session
from tracker.errors import InvalidInput, NotFound
from tracker.models import Actor
from tracker.money import format_money
from tracker.pledges.formats import FORMATS
from tracker.pledges.funding import summarize_funding
from tracker.pledges.funding_json import funding_as_dict
from tracker.pledges.imports import (
    ImportNeedsConfirmation,
    ImportRefused,
    ImportRejected,
    import_pledges,
)
from tracker.pledges.limits import DEFAULT_LIMITS
from tracker.pledges.snapshots import parse_total, record_snapshot

SHOWN_ERRORS = 50


@click.group("pledges", help="Import backer reports and read funding figures.")
def pledges_group():
    pass


@pledges_group.command("import")
@click.argument("slug")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["auto", *FORMATS]),
    default="auto",
    show_default=True,
    help="Force a format instead of detecting it.",
)
@click.option("--skip-bad-rows", is_flag=True, help="Import the good rows, record the bad.")
@click.option(
    "--other-currency-ok",
    is_flag=True,
    help="Import a report with no row in the campaign's currency (its pledges count apart).",
)
@with_appcontext
def import_command(slug, path, fmt, skip_bad_rows, other_currency_ok):
    """Import a backer report (CSV or ZIP of CSVs) into the campaign's pledge ledger."""
    session = get_session()
    campaign = _campaign(session, slug)
    if not path.is_file():
        # A device or a pipe has no end to count or hash: /dev/zero would run for ever.
        raise click.ClickException(f"{path.name} is not a regular file.")
    with (
        path.open("rb") as fileobj,
        click.progressbar(
            length=_count_lines(fileobj), label="importing", file=click.get_text_stream("stderr")
        ) as bar,
    ):
        try:
            result = import_pledges(
                session,
                campaign=campaign,
                fileobj=fileobj,
                filename=path.name,
                fmt=fmt,
                skip_bad_rows=skip_bad_rows,
                other_currency_ok=other_currency_ok,
                actor=Actor(label="cli"),
                on_rows=bar.update,
            )
        except ImportNeedsConfirmation as question:
            raise click.ClickException(
                f"{question} Use --other-currency-ok to import it."
            ) from None
        except ImportRefused as error:
            raise click.ClickException(f"{path.name}: {error}") from None
        except ImportRejected as error:
            session.rollback()
            _print_errors(error.errors, error.total)
            raise click.ClickException(f"{error}; fix the rows or use --skip-bad-rows") from None
    session.commit()
    _print_errors(result.errors, result.rejected)
    click.echo(result.summary())


@pledges_group.command("snapshot")
@click.argument("slug")
@click.option("--amount", required=True, help="Total pledged, in whole currency units.")
@click.option("--backers", required=True, type=COUNT)
@click.option(
    "--at",
    "taken_at",
    type=click.DateTime(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"]),
    help="When the platform showed these totals (UTC); default now.",
)
@with_appcontext
def snapshot_command(slug, amount, backers, taken_at):
    """Record the platform's current totals when no backer report is at hand."""
    session = get_session()
    campaign = _campaign(session, slug)
    try:
        amount_minor = parse_total(amount, campaign.currency)
        record_snapshot(
            session,
            campaign,
            amount_minor=amount_minor,
            backers=backers,
            source="cli",
            taken_at=taken_at.replace(tzinfo=UTC) if taken_at else None,
        )
    except InvalidInput as error:
        raise fail_on_bad_input(error) from None
    session.commit()
    click.echo(f"{slug}: {format_money(amount_minor, campaign.currency)} from {backers} backers")


@pledges_group.command("summary")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@with_appcontext
def summary_command(slug, as_json):
    """Print the campaign's funding figures."""
    session = get_session()
    campaign = _campaign(session, slug)
    summary = summarize_funding(session, campaign, today=today_in(campaign.timezone))
    if as_json:
        click.echo(json.dumps(funding_as_dict(summary), indent=2, default=str))
        return
    money = lambda minor: format_money(minor, campaign.currency)  # noqa: E731
    click.echo(f"{campaign.title} ({summary.source})")
    click.echo(
        f"net {money(summary.net_minor)} of {money(summary.goal_minor)} "
        f"({summary.percent_of_goal:.1f} %), {summary.backers} backers, "
        f"average {money(summary.average_minor)}, {_time_left(summary)}"
    )
    if summary.retrying:
        click.echo(
            f"  of it {money(summary.retrying_minor)} retrying payment "
            f"({_pledges(summary.retrying)})"
        )
    click.echo(f"gross {money(summary.gross_minor)}, collected {money(summary.collected_minor)}")
    for share in summary.by_status:
        click.echo(f"  {share.name:<10} {share.pledges:>7}  {money(share.amount_minor)}")
    for other in summary.other_currencies:
        retrying = (
            f" ({format_money(other.retrying_minor, other.currency)} of it retrying payment)"
            if other.retrying_minor
            else ""
        )
        click.echo(
            f"  also {_pledges(other.pledges)} in {other.currency}: "
            f"{format_money(other.net_minor, other.currency)}{retrying}"
        )
    if summary.projection:
        p = summary.projection
        click.echo(
            f"projected {money(p.expected_minor)} "
            f"(range {money(p.low_minor)} to {money(p.high_minor)})"
        )


def _time_left(summary) -> str:
    if summary.ended:
        return f"ended {summary.ends_on.isoformat()}"
    return "last day" if summary.days_left == 0 else f"{summary.days_left} days left"


def _pledges(n: int) -> str:
    return f"{n} pledge{'s' if n != 1 else ''}"


def _campaign(session, slug):
    campaign = find_campaign(session, slug)
    if campaign is None:
        raise fail_on_bad_input(NotFound(f"campaign '{slug}'"))
    return campaign


def _count_lines(fileobj) -> int:
    lines = 0
    # Past the import's size limit the import refuses the file: no need to count on.
    for _ in range(DEFAULT_LIMITS.text_bytes >> 20):
        chunk = fileobj.read(1 << 20)
        if not chunk:
            break
        lines += chunk.count(b"\n")
    fileobj.seek(0)
    return max(lines - 1, 1)


def _print_errors(errors, total) -> None:
    for error in errors[:SHOWN_ERRORS]:
        click.echo(
            f"{error.source}:{error.line}: column {error.column!r}, value "
            f"{error.value!r}: {error.reason}",
            err=True,
        )
    if total > SHOWN_ERRORS:
        click.echo(f"... and {total - SHOWN_ERRORS} more bad rows", err=True)


COMMANDS = (pledges_group,)
