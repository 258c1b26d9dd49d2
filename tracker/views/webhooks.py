"""The webhooks dashboard: add, test, resume and remove a campaign's hooks, see every attempt."""

from flask import Blueprint, abort, current_app, flash, render_template, url_for
from flask_babel import gettext as _

from tracker.db import get_session
from tracker.errors import InvalidInput, NotFound
from tracker.feeds.fetch_policy import fetch_policy
from tracker.forms import ActionForm, attach_errors
from tracker.forms.webhooks import WebhookForm
from tracker.jobs import QueueUnavailable, enqueue
from tracker.models import utcnow
from tracker.views.absolute_urls import absolute_url
from tracker.views.access import team_campaign
from tracker.views.rendering import see_other
from tracker.webhooks.hooks import (
    add_hook,
    get_hook,
    hooks_of,
    masked_url,
    queue_ping,
    recent_attempts,
    remove_hook,
    resume_hook,
)

bp = Blueprint("webhooks", __name__, url_prefix="/dashboard/<slug>/webhooks")


@bp.app_template_filter("masked_url")
def masked_url_filter(url: str) -> str:
    return masked_url(url)


def _overview(campaign, form, status=200):
    session = get_session()
    hooks = hooks_of(session, campaign)
    return render_template(
        "webhooks/overview.html",
        campaign=campaign,
        hooks=hooks,
        attempts=recent_attempts(session, hooks),
        form=form,
    ), status


def _hook_or_404(campaign, hook_id):
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        return get_hook(get_session(), campaign, hook_id)
    except NotFound:
        abort(404)


def _back(campaign):
    return see_other(url_for("webhooks.overview", slug=campaign.slug))


@bp.get("/")
@team_campaign
def overview(campaign):
    return _overview(campaign, WebhookForm(formdata=None))


@bp.post("/")
@team_campaign
def add(campaign):
    form, session = WebhookForm(), get_session()
    if not form.validate_on_submit():
        return _overview(campaign, form, 422)
    try:
        hook = add_hook(
            session,
            campaign,
            kind=form.kind.data,
            url=form.url.data,
            policy=fetch_policy(current_app.config),
            now=utcnow(),
        )
    except InvalidInput as error:
        attach_errors(form, error.errors)
        return _overview(campaign, form, 422)
    session.commit()
    # The secret is shown on this answer only: no redirect carries it, no page shows it again.
    return render_template("webhooks/created.html", campaign=campaign, hook=hook), 201


@bp.post("/<int:hook_id>/test")
@team_campaign
def test(campaign, hook_id):
    hook, session = _hook_or_404(campaign, hook_id), get_session()
    queue_ping(session, hook, campaign, url_for=absolute_url, now=utcnow())
    session.commit()
    try:
        enqueue("webhooks.deliver")  # the worker sends it; this request never waits on it
        flash(_("Test message queued: its attempt shows below once the worker sent it."))
    except QueueUnavailable:
        flash(_("Test message recorded: the worker sends it within a minute."))
    return _back(campaign)


@bp.post("/<int:hook_id>/resume")
@team_campaign
def resume(campaign, hook_id):
    hook, session = _hook_or_404(campaign, hook_id), get_session()
    resume_hook(session, hook, now=utcnow())
    session.commit()
    return _back(campaign)


@bp.post("/<int:hook_id>/remove")
@team_campaign
def remove(campaign, hook_id):
    hook, session = _hook_or_404(campaign, hook_id), get_session()
    remove_hook(session, hook)
    session.commit()
    return _back(campaign)
