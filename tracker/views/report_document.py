"""The report as a document: the HTML of the preview and the PDF, in the report's language.

Shared by the dashboard and the CLI; templates/reports/report.html is the one template.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from flask import current_app, render_template, url_for
from flask_babel import (
    force_locale,
    format_date,
    format_decimal,
    format_percent,
    gettext,
    ngettext,
)
from markupsafe import Markup
from sqlmodel import Session

from tracker.campaigns.hero import hero_files
from tracker.charts.funding import Marker, funding_chart_svg
from tracker.models import Campaign
from tracker.money import format_money
from tracker.public.call_to_action import call_to_action
from tracker.public.progress import funded_percent
from tracker.reports.contents import ReportData, gather_report
from tracker.reports.pdf import LongVersion, PdfMetadata, RenderedPdf, html_to_pdf
from tracker.reports.periods import Period
from tracker.reports.static_files import ASSETS_URL, IMAGE_DATA_URL
from tracker.views.figures import funding_chart_data, funding_chart_text
from tracker.views.i18n import day_text
from tracker.views.media import hero_bytes

TOC_AFTER_PAGES = 3
LINES_PER_PAGE = 48  # of the report's body text on an A4 page, for the TOC guess
REPORT_FONT = "'Source Sans 3', sans-serif"
LANGUAGES = ("en", "de")


@dataclass(frozen=True)
class ReportRequest:
    """What the founder asked for: period, note, language (None: the campaign's)."""

    period: Period
    note_md: str = ""
    language: str | None = None


def build_report(
    session: Session, campaign: Campaign, request: ReportRequest, *, today: date
) -> ReportData:
    """Gather the report's data for the request."""
    language = request.language if request.language in LANGUAGES else campaign.language
    return gather_report(
        session,
        campaign,
        period=request.period,
        issued_on=today,
        note_md=request.note_md,
        language=language if language in LANGUAGES else "en",
    )


def period_label(period: Period) -> str:
    """Name the period in the current locale: 'November 2026', or its first and last day."""
    if period.kind == "month":
        return format_date(period.start, "LLLL yyyy")
    return f"{day_text(period.start)}\u2013{day_text(period.end)}"


def report_title(report: ReportData) -> str:
    """Return the report's title in its language."""
    with force_locale(report.language):
        return gettext(
            "%(campaign)s: progress report, %(period)s",
            campaign=report.campaign.title,
            period=period_label(report.period),
        )


def report_summary(report: ReportData) -> str:
    """Return one paragraph of the report's key figures in its language, for the public list."""
    currency, moves = report.campaign.currency, report.milestones
    with force_locale(report.language):
        parts = [
            ngettext(
                "In this period %(amount)s came in from %(num)d backer;",
                "In this period %(amount)s came in from %(num)d backers;",
                report.in_period.backers,
                amount=format_money(report.in_period.amount_minor, currency, report.language),
            ),
            gettext(
                "%(total)s pledged in all, %(percent)d %% of the goal.",
                total=format_money(report.funding.net_minor, currency, report.language),
                percent=funded_percent(report.funding.net_minor, report.campaign.goal_minor),
            ),
            gettext(
                "Milestones: %(reached)d reached, %(started)d started, %(slipped)d slipped;",
                reached=moves.reached_count,
                started=moves.started_count,
                slipped=moves.slipped_count,
            ),
            ngettext("%(num)d update.", "%(num)d updates.", report.update_count),
        ]
    return " ".join(parts)


def render_report_html(
    report: ReportData,
    *,
    for_pdf: bool,
    toc: bool = False,
    page_url: str | None = None,
    asset_base: str | None = None,
) -> str:
    """Render templates/reports/report.html for the PDF or for the browser preview."""
    with force_locale(report.language):
        chart = _chart(report, for_pdf=for_pdf) if report.funding.curve else None
        return render_template(
            "reports/report.html",
            report=report,
            title=report_title(report),
            subject=_subject(report),
            period_label=period_label(report.period),
            asset_base=ASSETS_URL if for_pdf else asset_base,
            for_pdf=for_pdf,
            toc=toc,
            page_url=page_url,
            hero_src=_hero_src(report.campaign, for_pdf=for_pdf),
            cta=call_to_action(report.campaign, ended=report.issued_on > report.campaign.ends_on),
            # Safe: the chart writer escapes every text it prints (tracker.charts.svg).
            chart=Markup(chart[0]) if chart else None,  # noqa: S704
            chart_caption=chart[1] if chart else "",
            mood=_mood,
            percent=format_percent,
            number=format_decimal,
        )


def export_pdf(report: ReportData, *, page_url: str | None = None) -> RenderedPdf:
    """Render the report as a tagged PDF, with a table of contents past 3 pages."""
    short = render_report_html(report, for_pdf=True, page_url=page_url)
    long = render_report_html(report, for_pdf=True, toc=True, page_url=page_url)
    with force_locale(report.language):
        metadata = PdfMetadata(
            title=report_title(report),
            author=report.campaign.title,
            subject=_subject(report),
            language=report.language,
            created=datetime.combine(report.issued_on, time(), tzinfo=UTC),
        )
    return html_to_pdf(
        short,
        metadata=metadata,
        timeout=float(current_app.config["REPORT_TIMEOUT_SECONDS"]),
        long_version=LongVersion(
            long,
            after_pages=TOC_AFTER_PAGES,
            likely=report.estimated_lines() > LINES_PER_PAGE * TOC_AFTER_PAGES,
        ),
    )


def _hero_src(campaign: Campaign, *, for_pdf: bool) -> str | None:
    """Return the hero image's address: its file for the preview, inline in the PDF."""
    if not for_pdf:
        files = hero_files(campaign)
        return (
            url_for("media.media_file", name=files[1 if len(files) > 1 else 0].name)
            if files
            else None
        )
    data = hero_bytes(campaign)
    return IMAGE_DATA_URL + base64.b64encode(data).decode("ascii") if data else None


def _subject(report: ReportData) -> str:
    return gettext(
        "Progress of %(campaign)s from %(start)s to %(end)s: funding, milestones, updates "
        "and feedback.",
        campaign=report.campaign.title,
        start=day_text(report.period.start),
        end=day_text(report.period.end),
    )


def _chart(report: ReportData, *, for_pdf: bool) -> tuple[str, str]:
    """Draw the funding chart as of the report's day; return it and its key figures."""
    campaign, funding = report.campaign, report.funding
    markers = tuple(
        Marker(item.completed_on, item.title, "milestone")
        for item in report.milestones.reached
        if item.completed_on
    )
    chart = funding_chart_data(campaign, funding, today=report.issued_on, markers=markers)
    text = funding_chart_text(campaign, funding, today=report.issued_on)
    svg = funding_chart_svg(
        chart, text, font_family=REPORT_FONT if for_pdf else None, id_prefix="report-funding"
    )
    return svg, text.description


def _mood(value: float | None) -> str:
    return format_decimal(value or 0.0, "+0.00;-0.00")
