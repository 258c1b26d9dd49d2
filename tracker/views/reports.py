"""Progress reports: choose a period, preview, export and publish on the dashboard; the
published PDFs at stable public URLs.

The public pages list published reports through tracker.views.report_links.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext, ngettext
from flask_login import current_user

from tracker.dates import today_in
from tracker.db import get_session
from tracker.errors import InvalidInput, NotFound
from tracker.forms import attach_errors
from tracker.forms.reports import PublishForm, ReportForm, ReportPeriodForm
from tracker.mail.subscribers import queue_report_mail
from tracker.models import Actor
from tracker.reports.downloads import load_download, store_download
from tracker.reports.pdf import PdfError
from tracker.reports.periods import choose_period
from tracker.reports.publishing import (
    get_published_report,
    listing_of,
    next_edition,
    publish_report,
)
from tracker.views.absolute_urls import absolute_url
from tracker.views.access import team_campaign
from tracker.views.i18n import day_text
from tracker.views.mail_letters import deliver_soon
from tracker.views.public import visible_campaign
from tracker.views.rendering import htmx, render_page_or_fragment, see_other
from tracker.views.report_document import (
    ReportRequest,
    build_report,
    export_pdf,
    render_report_html,
    report_summary,
    report_title,
)
from tracker.views.report_links import published_report_links

bp = Blueprint("reports", __name__)
DASHBOARD = "/dashboard/<slug>/reports"
IMMUTABLE_MAX_AGE = 365 * 24 * 3600


@bp.get(f"{DASHBOARD}/")
@team_campaign
def dashboard(campaign):
    chooser = ReportPeriodForm(formdata=request.args if request.args else None)
    form = ReportForm(formdata=None, data=chooser.data)
    report, status = None, 200
    try:
        report = build_report(
            get_session(), campaign, _request_of(campaign, chooser), today=_today(campaign)
        )
    except InvalidInput as error:
        attach_errors(chooser, error.errors)
        status = 422
    return _dashboard_page(campaign, chooser=chooser, form=form, report=report, status=status)


def _dashboard_page(campaign, *, chooser, form, report=None, status=200, **extra):
    return render_template(
        "reports/dashboard.html",
        campaign=campaign,
        chooser=chooser,
        form=form,
        report=report,
        published=published_report_links(get_session(), campaign),
        **extra,
    ), status


@bp.post(f"{DASHBOARD}/preview")
@team_campaign
def preview(campaign):
    form = ReportForm()
    report = _posted_report(campaign, form)
    if report is None:
        return _refused(campaign, form)
    return render_report_html(
        report,
        for_pdf=False,
        page_url=_page_url(campaign),
        asset_base=url_for("static", filename=""),
    )


def _render_posted(campaign):
    """Render the posted period as a PDF: ((report, rendered), None), or (None, an answer)."""
    form = ReportForm()
    report = _posted_report(campaign, form)
    if report is None:
        return None, _refused(campaign, form)
    try:
        return (report, export_pdf(report, page_url=_page_url(campaign))), None
    except PdfError as error:
        return None, _export_failed(campaign, form, error)


@bp.post(f"{DASHBOARD}/export")
@team_campaign
def export(campaign):
    done, failure = _render_posted(campaign)
    if failure is not None:
        return failure
    report, rendered = done
    name = _filename(campaign, report.period)
    if htmx:  # any htmx request, a boosted form too, is an XHR
        # An XHR cannot save a file: keep the PDF an hour and hand over a download link.
        token = store_download(_downloads(), campaign.id, rendered.data)
        return render_template(
            "reports/_export.html",
            campaign=campaign,
            download_url=url_for("reports.download", slug=campaign.slug, token=token, name=name),
            rendered=rendered,
        )
    return _pdf_response(rendered.data, name, attachment=True)


@bp.get(f"{DASHBOARD}/exports/<token>/<name>")
@team_campaign
def download(campaign, token, name):
    data = load_download(_downloads(), campaign.id, token)
    if data is None:
        abort(404)
    return _pdf_response(data, name, attachment=True)


@bp.post(f"{DASHBOARD}/publish")
@team_campaign
def publish(campaign):
    """Ask first (what gets published, as which version), then publish once confirmed."""
    form = PublishForm()
    report = _posted_report(campaign, form)
    if report is None:
        return _refused(campaign, form)
    session = get_session()
    report.edition = next_edition(session, campaign, report.period, report.language)
    if form.confirmed.data != "yes":
        return _confirmation(campaign, form, report)
    if form.revision.data and form.revision.data != str(report.edition.revision):
        return _confirmation(campaign, form, report, meanwhile=True)
    try:
        rendered = export_pdf(report, page_url=_page_url(campaign))
    except PdfError as error:
        return _export_failed(campaign, form, error)
    published = _store_published(session, campaign, report, rendered)
    if published is None:  # another version of the period landed while this one rendered
        return _confirmation(campaign, form, report, meanwhile=True)
    mailed = queue_report_mail(session, published)  # in the same transaction as the report
    session.commit()
    deliver_soon()
    _flash_published(report.edition, mailed, zone_name=campaign.timezone)
    return see_other(url_for("reports.dashboard", slug=campaign.slug))


def _confirmation(campaign, form, report, *, meanwhile: bool = False):
    return render_template(
        "reports/confirm_publish.html",
        campaign=campaign,
        form=form,
        report=report,
        title=report_title(report),
        meanwhile=meanwhile,
    ), (409 if meanwhile else 200)


def _store_published(session, campaign, report, rendered):
    """Publish the rendered report as its edition; None when another version came first."""
    try:
        return publish_report(
            session,
            campaign,
            pdf=rendered.data,
            pages=rendered.pages,
            period=report.period,
            language=report.language,
            title=report_title(report),
            actor=Actor(user_id=current_user.id, label=current_user.email),
            edition=report.edition,
            summary=report_summary(report),
        )
    except InvalidInput:
        report.edition = next_edition(session, campaign, report.period, report.language)
        return None


def _flash_published(edition, mailed: int, *, zone_name: str | None = None) -> None:
    flash(_published_message(edition, zone_name=zone_name))
    if mailed:
        flash(
            ngettext(
                "Its e-mail goes to %(num)d subscriber.",
                "Its e-mail goes to %(num)d subscribers.",
                mailed,
            )
        )


def _published_message(edition, *, zone_name: str | None = None) -> str:
    if edition.revision == 1:
        return gettext("Published as version %(version)d.", version=1)
    return gettext(
        "Published as version %(num)d, replacing the one of %(day)s.",
        num=edition.revision,
        day=day_text(edition.replaces_issued_at, zone_name=zone_name),
    )


@bp.get("/c/<slug>/reports")
def public_list(slug):
    campaign = visible_campaign(slug)
    return render_template(
        "reports/public_list.html",
        campaign=campaign,
        reports=published_report_links(get_session(), campaign),
        public_page=True,
    )


@bp.get("/c/<slug>/reports/<int:version>.pdf")
def published_pdf(slug, version):
    campaign = visible_campaign(slug)
    try:
        report = get_published_report(get_session(), campaign, version)
    except NotFound:
        abort(404)
    response = _pdf_response(report.pdf, f"{campaign.slug}-report-{version}.pdf")
    listed = listing_of(get_session(), campaign, version)
    if listed.superseded:  # RFC 5829: where the version that replaces this one is
        newest = url_for("reports.published_pdf", slug=slug, version=listed.newest_version)
        response.headers["Link"] = f'<{newest}>; rel="successor-version"'
    response.set_etag(report.sha256)
    response.last_modified = report.issued_at
    if campaign.is_public:
        response.cache_control.public = True
        response.cache_control.max_age = IMMUTABLE_MAX_AGE
        response.cache_control.immutable = True
    else:  # a draft's team member: never store in shared caches
        response.cache_control.private = True
        response.cache_control.no_cache = True
    return response.make_conditional(request)


def _request_of(campaign, form) -> ReportRequest:
    period = choose_period(
        get_session(),
        campaign,
        kind=form.kind.data or "month",
        month=form.month.data or (None if request.args else _today(campaign).strftime("%Y-%m")),
        start=form.start.data,
        end=form.end.data,
        today=_today(campaign),
    )
    note = form.note.data if hasattr(form, "note") else ""
    return ReportRequest(period=period, note_md=note or "", language=form.language.data or None)


def _posted_report(campaign, form):
    if not form.validate_on_submit():
        return None
    try:
        return build_report(
            get_session(), campaign, _request_of(campaign, form), today=_today(campaign)
        )
    except InvalidInput as error:
        attach_errors(form, error.errors)
        return None


def _refused(campaign, form):
    chooser = ReportPeriodForm(formdata=None, data=form.data)
    attach_errors(chooser, {name: " ".join(errors) for name, errors in form.errors.items()})
    return _dashboard_page(campaign, chooser=chooser, form=form, status=422)


def _export_failed(campaign, form, error: PdfError):
    current_app.logger.warning("report of %s not rendered: %s", campaign.slug, error)
    return render_page_or_fragment(
        "reports/dashboard.html",
        "reports/_export.html",
        503,
        campaign=campaign,
        chooser=ReportPeriodForm(formdata=None, data=form.data),
        form=form,
        published=published_report_links(get_session(), campaign),
        report=None,
        failure=str(error),
    )


def _pdf_response(data: bytes, name: str, *, attachment: bool = False):
    response = current_app.response_class(data, mimetype="application/pdf")
    disposition = "attachment" if attachment else "inline"
    response.headers["Content-Disposition"] = f'{disposition}; filename="{name}"'
    return response


def _filename(campaign, period) -> str:
    return f"{campaign.slug}-report-{period.start.isoformat()}-{period.end.isoformat()}.pdf"


def _page_url(campaign) -> str:
    return absolute_url("public.campaign", slug=campaign.slug)


def _downloads() -> Path:
    return Path(current_app.instance_path) / "report-exports"


def _today(campaign) -> date:
    return today_in(campaign.timezone)
