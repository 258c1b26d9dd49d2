"""`tracker demo` and `tracker export`: load the demo campaign, write a campaign as JSON."""

import json

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.campaigns.campaigns import find_campaign
from tracker.db import get_session
from tracker.demo.loader import load_demo
from tracker.demo.report import RenderedReport
from tracker.export import export_campaign
from tracker.models import utcnow
from tracker.reports.pdf import PdfError
from tracker.views.absolute_urls import absolute_url
from tracker.views.report_document import (
    ReportRequest,
    build_report,
    export_pdf,
    report_summary,
    report_title,
)


@click.command("demo")
@with_appcontext
def demo_command():
    """Load the demo campaign (idempotent, offline)."""
    session = get_session()
    try:
        result = load_demo(session, today=utcnow().date(), render_report=_render_report)
    except PdfError as error:
        raise click.ClickException(f"the demo's report could not be made: {error}") from None
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


def _render_report(session, campaign, period, note_md) -> RenderedReport:
    """Render the demo's report as `tracker report` does, in the campaign's language."""
    report = build_report(
        session, campaign, ReportRequest(period=period, note_md=note_md), today=utcnow().date()
    )
    page_url = absolute_url("public.campaign", slug=campaign.slug) if _has_public_url() else None
    rendered = export_pdf(report, page_url=page_url)
    return RenderedReport(
        rendered.data,
        rendered.pages,
        report_title(report),
        report.language,
        report_summary(report),
    )


def _has_public_url() -> bool:
    # The CLI may run without a public address (only serving needs one): then no URL.
    return bool(current_app.config.get("PUBLIC_URL"))


COMMANDS = (demo_command, export_command)
