"""Pledges on the dashboard: figures, chart, report uploads, import history, totals, tokens."""

import json
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, url_for
from flask_babel import gettext
from flask_login import current_user

from tracker.campaigns.api_tokens import create_token, revoke_token, tokens_of
from tracker.charts.funding import funding_chart_svg
from tracker.dates import today_in
from tracker.db import get_session
from tracker.errors import InvalidInput, NotFound
from tracker.forms import ActionForm, attach_errors
from tracker.forms.funding import (
    FORMAT_NAMES,
    GENERATION_NAMES,
    ConfirmImportForm,
    SnapshotForm,
    TokenForm,
    UploadForm,
)
from tracker.models import Actor
from tracker.pledges.funding import summarize_funding
from tracker.pledges.held_uploads import HeldUploadGone, drop_held, hold_upload, open_held
from tracker.pledges.import_history import imports_of
from tracker.pledges.imports import (
    ImportNeedsConfirmation,
    ImportRefused,
    ImportRejected,
    import_pledges,
)
from tracker.pledges.snapshots import parse_total, record_snapshot
from tracker.public.page import chart_markers
from tracker.views.access import team_campaign
from tracker.views.figures import funding_chart_data, funding_chart_text, funding_figure
from tracker.views.rendering import (
    render_page_or_fragment,
    see_other,
    svg_response,
    wants_fragment,
)

bp = Blueprint("funding", __name__, url_prefix="/dashboard/<slug>/funding")


@bp.get("/")
@team_campaign
def overview(campaign):
    return _render_overview(campaign)


def _figures(campaign):
    """Return the summary and chart the overview's figures region shows."""
    session, today = get_session(), today_in(campaign.timezone)
    summary = summarize_funding(session, campaign, today=today)
    markers = chart_markers(session, campaign, today=today)
    figure = funding_figure(campaign, summary, today=today, markers=markers)
    return {"summary": summary, "figure": figure}


def _render_overview(campaign, *, snapshot_form=None, status=200):
    return render_template(
        "funding/overview.html",
        campaign=campaign,
        **_figures(campaign),
        upload_form=UploadForm(formdata=None),
        snapshot_form=snapshot_form or SnapshotForm(formdata=None, zone_name=campaign.timezone),
    ), status


@bp.get("/chart.svg")
@team_campaign
def chart(campaign):
    session, today = get_session(), today_in(campaign.timezone)
    summary = summarize_funding(session, campaign, today=today)
    chart = funding_chart_data(
        campaign, summary, today=today, markers=chart_markers(session, campaign, today=today)
    )
    text = funding_chart_text(campaign, summary, today=today)
    return svg_response(funding_chart_svg(chart, text))


@bp.post("/import")
@team_campaign
def upload(campaign):
    form = UploadForm()
    if not form.validate_on_submit():
        return _import_outcome(campaign, form=form, status=422)
    report = form.report.data
    return _import(campaign, form, report.stream, report.filename or "upload.csv")


@bp.post("/import/confirm")
@team_campaign
def confirm_upload(campaign):
    """Import a held report the founder confirmed although no row is in the campaign's currency."""
    form, directory = ConfirmImportForm(), _held_uploads()
    try:
        if not form.validate_on_submit():
            raise HeldUploadGone(form.held.data)
        held = open_held(directory, campaign_id=campaign.id, token=form.held.data)
    except HeldUploadGone:
        refused = gettext("The file to confirm is no longer held: choose it again.")
        return _import_outcome(
            campaign, form=UploadForm(formdata=None), refused=refused, status=422
        )
    with held:
        response = _import(campaign, form, held, form.filename.data or "upload.csv", confirmed=True)
    # Imported, or refused for another reason: either way the copy has served its purpose.
    drop_held(directory, campaign_id=campaign.id, token=form.held.data)
    return response


def _import(campaign, form, fileobj, filename, *, confirmed=False):
    session = get_session()
    options = {"fmt": form.format.data, "skip_bad_rows": form.skip_bad_rows.data}
    if not isinstance(form, UploadForm):  # a confirmation: the upload form starts afresh
        form = UploadForm(formdata=None)
    try:
        result = import_pledges(
            session,
            campaign=campaign,
            fileobj=fileobj,
            filename=filename,
            other_currency_ok=confirmed,
            actor=Actor(user_id=current_user.id, label=current_user.email),
            **options,
        )
    except ImportNeedsConfirmation as question:
        session.rollback()
        held = hold_upload(_held_uploads(), campaign_id=campaign.id, fileobj=fileobj)
        confirm_form = ConfirmImportForm(
            formdata=None,
            held=held,
            filename=filename,
            format=options["fmt"],
            skip_bad_rows=options["skip_bad_rows"],
        )
        return _import_outcome(campaign, form=form, question=question, confirm_form=confirm_form)
    except ImportRefused as error:
        session.rollback()
        return _import_outcome(campaign, form=form, refused=str(error), status=422)
    except ImportRejected as error:
        session.rollback()
        return _import_outcome(campaign, form=form, rejected=error, status=422)
    session.commit()
    figures = _figures(campaign) if wants_fragment() else {}  # swapped in out of band
    return _import_outcome(campaign, form=UploadForm(formdata=None), result=result, **figures)


def _held_uploads() -> Path:
    configured = current_app.config["HELD_UPLOADS_DIR"]
    return Path(configured) if configured else Path(current_app.instance_path) / "held-uploads"


def _import_outcome(campaign, *, form, status=200, **outcome):
    return render_page_or_fragment(
        "funding/import.html",
        "funding/_upload.html",
        status,
        campaign=campaign,
        upload_form=form,
        **outcome,
    )


@bp.get("/imports")
@team_campaign
def imports(campaign):
    records = imports_of(get_session(), campaign)
    rejected = {record.id: json.loads(record.rejected_rows) for record in records}
    other_rows = {record.id: json.loads(record.other_currency_rows) for record in records}
    return render_template(
        "funding/imports.html",
        campaign=campaign,
        records=records,
        rejected=rejected,
        other_rows=other_rows,
        format_names=FORMAT_NAMES,
        generation_names=GENERATION_NAMES,
    )


@bp.post("/snapshots")
@team_campaign
def add_snapshot(campaign):
    form = SnapshotForm(zone_name=campaign.timezone)
    if form.validate_on_submit():
        session = get_session()
        try:
            record_snapshot(
                session,
                campaign,
                amount_minor=parse_total(form.amount.data, campaign.currency),
                backers=form.backers.data,
                source="dashboard",
                taken_at=form.taken_at.moment,
            )
        except InvalidInput as error:
            attach_errors(form, error.errors)
        else:
            session.commit()
            return see_other(url_for("funding.overview", slug=campaign.slug))
    return _render_overview(campaign, snapshot_form=form, status=422)


@bp.route("/tokens", methods=["GET", "POST"])
@team_campaign
def tokens(campaign):
    form, session, secret = TokenForm(), get_session(), None
    if form.validate_on_submit():
        try:
            _, secret = create_token(session, campaign, name=form.name.data)
        except InvalidInput as error:
            attach_errors(form, error.errors)
        else:
            session.commit()
            form = TokenForm(formdata=None)
    page = render_template(
        "funding/tokens.html",
        campaign=campaign,
        form=form,
        secret=secret,
        tokens=tokens_of(session, campaign),
    )
    return page, 422 if form.errors else 200


@bp.post("/tokens/<int:token_id>/revoke")
@team_campaign
def revoke(campaign, token_id):
    if not ActionForm().validate_on_submit():
        abort(400)
    session = get_session()
    try:
        revoke_token(session, campaign, token_id)
    except NotFound:
        abort(404)
    session.commit()
    return see_other(url_for("funding.tokens", slug=campaign.slug))
