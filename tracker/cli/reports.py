"""`tracker report`: render a campaign's progress report as a PDF, and publish it."""

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.campaigns.campaigns import find_campaign
from tracker.cli import fail_on_bad_input
from tracker.dates import format_day, today_in
from tracker.db import get_session
from tracker.errors import InvalidInput, NotFound
from tracker.mail.subscribers import queue_report_mail
from tracker.models import Actor
from tracker.reports.contents import MAX_NOTE_LENGTH
from tracker.reports.pdf import PdfError
from tracker.reports.periods import choose_period, parse_date
from tracker.reports.publishing import next_edition, publish_report
from tracker.views.absolute_urls import absolute_url
from tracker.views.mail_letters import deliver_soon
from tracker.views.report_document import (
    LANGUAGES,
    ReportRequest,
    build_report,
    export_pdf,
    report_summary,
)
from tracker.views.report_document import report_title as title_of

NOTE_MAX_BYTES = 4 * MAX_NOTE_LENGTH  # UTF-8 spends at most 4 bytes on a character


@click.command("report")
@click.argument("slug")
@click.option("--period", "month", metavar="YYYY-MM", help="A calendar month, e.g. 2026-11.")
@click.option("--from", "start", metavar="YYYY-MM-DD", help="First day of a custom period.")
@click.option("--to", "end", metavar="YYYY-MM-DD", help="Last day of a custom period.")
@click.option("--since-last", is_flag=True, help="Everything since the last published report.")
@click.option("--lang", type=click.Choice(LANGUAGES), help="Default: the campaign's language.")
@click.option(
    "--note", "note_file", type=click.File("rb"), help="The team's note (UTF-8 Markdown)."
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the PDF.",
)
@click.option("--publish", is_flag=True, help="Also publish it as the campaign's next version.")
@with_appcontext
def report_command(slug, month, start, end, since_last, lang, note_file, output, publish):
    """Write the campaign's progress report for a period as a tagged PDF."""
    session = get_session()
    campaign = find_campaign(session, slug)
    if campaign is None:
        raise fail_on_bad_input(NotFound(f"campaign '{slug}'"))
    today = today_in(campaign.timezone)
    try:
        period = choose_period(
            session,
            campaign,
            kind=_kind(month, start, end, since_last),
            month=month,
            start=parse_date(start, "from"),
            end=parse_date(end, "to"),
            today=today,
        )
    except InvalidInput as error:
        raise fail_on_bad_input(error) from None
    _check_writable(output)
    note = _read_note(note_file) if note_file else ""
    report = build_report(
        session, campaign, ReportRequest(period=period, note_md=note, language=lang), today=today
    )
    if publish:  # the PDF says which version of the period it is
        report.edition = next_edition(session, campaign, period, report.language)
    try:
        rendered = export_pdf(report, page_url=_page_url(campaign.slug))
    except PdfError as error:
        raise click.ClickException(str(error)) from None
    try:
        output.write_bytes(rendered.data)
    except OSError as error:
        raise click.ClickException(f"cannot write {output}: {error.strerror}") from None
    summary = f"{output}: {rendered.pages} pages, {len(rendered.data) // 1024} KB"
    if publish:
        try:
            published = publish_report(
                session,
                campaign,
                pdf=rendered.data,
                pages=rendered.pages,
                period=period,
                language=report.language,
                title=title_of(report),
                actor=Actor(label="cli"),
                edition=report.edition,
                summary=report_summary(report),
            )
        except InvalidInput as error:
            raise fail_on_bad_input(error) from None
        mailed = queue_report_mail(session, published)  # in the report's transaction
        session.commit()
        summary += f"; {_published(campaign, published, report.edition)}"
        summary += f"; e-mail queued to {mailed} subscriber{'' if mailed == 1 else 's'}"
        deliver_soon()
    click.echo(summary)


def _published(campaign, published, edition) -> str:
    where = _report_url(campaign.slug, published.version)
    if edition.revision == 1:
        return f"published as version 1 ({where})"
    day = format_day(edition.replaces_issued_at, locale="en", zone_name=campaign.timezone)
    return f"published as version {edition.revision}, replacing the one of {day} ({where})"


def _read_note(note_file) -> str:
    # Read no more than a note may hold: the dashboard refuses a longer one too.
    data = note_file.read(NOTE_MAX_BYTES + 1)
    too_long = f"{note_file.name}: a note is at most {MAX_NOTE_LENGTH} characters"
    if len(data) > NOTE_MAX_BYTES:
        raise click.ClickException(too_long)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise click.ClickException(
            f"{note_file.name}: not UTF-8 text (byte {error.start} is 0x{data[error.start]:02x})"
        ) from None
    if len(text) > MAX_NOTE_LENGTH:
        raise click.ClickException(too_long)
    return text.removeprefix("\ufeff")  # the byte order mark some editors write


def _kind(month, start, end, since_last) -> str:
    chosen = [bool(month), bool(start or end), since_last]
    if sum(chosen) != 1:
        raise click.ClickException(
            "choose one period: --period YYYY-MM, --from/--to or --since-last"
        )
    return "month" if month else "range" if (start or end) else "since_last"


def _check_writable(output: Path) -> None:
    # Refuse before the render, not after a second of work.
    folder = output.parent if str(output.parent) else Path(".")
    if not folder.is_dir():
        raise click.ClickException(f"cannot write {output}: no folder {folder}")
    if output.is_dir() or (output.exists() and not _writable(output)):
        raise click.ClickException(f"cannot write {output}: not a writable file")
    if not output.exists() and not _writable(folder):
        raise click.ClickException(f"cannot write {output}: the folder is not writable")


def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK)


def _report_url(slug: str, version: int) -> str:
    values = {"slug": slug, "version": version}
    if current_app.config.get("PUBLIC_URL"):
        return absolute_url("reports.published_pdf", **values)
    # Without a public address the path on the site says where it is all the same.
    return current_app.url_map.bind("localhost").build("reports.published_pdf", values)


def _page_url(slug: str) -> str | None:
    # The CLI may run without a public address (only serving needs one): then no URL.
    if not current_app.config.get("PUBLIC_URL"):
        return None
    return absolute_url("public.campaign", slug=slug)


COMMANDS = (report_command,)
