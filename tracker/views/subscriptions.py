"""Backers subscribe by e-mail: a form page of its own, the confirmation, unsubscribe.

The public campaign page is cached and carries no session, so it only links here; this
small page has its own session and CSRF token (every other POST of the site has one too).
The one exception is the unsubscribe POST: RFC 8058's one-click comes from a mail
provider without cookies or token, so a valid signed link is what it needs.
"""

from flask import Blueprint, abort, current_app, render_template, request

from tracker.db import get_session
from tracker.errors import InvalidInput
from tracker.forms import ActionForm, attach_errors
from tracker.forms.mail import SubscribeForm
from tracker.mail.subscribers import (
    Letters,
    TooManyAttempts,
    confirm,
    find_subscriber,
    subscribe,
    unsubscribe,
)
from tracker.mail.tokens import BadToken, read_confirm_token, read_unsubscribe_token
from tracker.models import Campaign
from tracker.views.i18n import current_locale
from tracker.views.mail_letters import already_letter, confirm_letter, deliver_soon
from tracker.views.public import visible_campaign
from tracker.views.security import csrf

bp = Blueprint("subscriptions", __name__)


@bp.after_request
def _never_cached(response):
    # Forms with a CSRF token, and pages naming one subscription: for this visitor only.
    response.cache_control.no_store = True
    response.cache_control.private = True
    return response


@bp.route("/c/<slug>/subscribe", methods=["GET", "POST"])
def subscribe_page(slug):
    campaign = visible_campaign(slug)
    form = SubscribeForm(language=current_locale())
    if not form.validate_on_submit():
        return _form(campaign, form, 400 if form.is_submitted() else 200)
    session = get_session()
    try:
        _subscribe(session, campaign, form)
    except InvalidInput as error:
        session.rollback()
        attach_errors(form, error.errors)
        return _form(campaign, form, 400)
    except TooManyAttempts:
        session.rollback()
        return render_template("mail/too_many.html", campaign=campaign), 429
    session.commit()
    deliver_soon()
    # One answer whatever the address's state: it tells nobody whether it is subscribed.
    return render_template("mail/check_inbox.html", campaign=campaign)


def _subscribe(session, campaign: Campaign, form) -> None:
    """Subscribe the posted address, with this request's client and the app's secret."""
    subscribe(
        session,
        campaign=campaign,
        address=form.address.data,
        language=form.language.data,
        receives=form.receives.data,
        client=request.remote_addr or "unknown",
        secret=current_app.config["SECRET_KEY"],
        letters=Letters(
            confirm=lambda subscriber: confirm_letter(campaign, subscriber),
            already=lambda subscriber: already_letter(campaign, subscriber),
        ),
    )


def _form(campaign: Campaign, form, status: int):
    return render_template("mail/subscribe.html", campaign=campaign, form=form), status


@bp.route("/mail/confirm/<token>", methods=["GET", "POST"])
def confirm_subscription(token):
    """Show a button (GET changes nothing: link scanners open links), confirm on POST."""
    session = get_session()
    try:
        subscriber = find_subscriber(
            session, *read_confirm_token(current_app.config["SECRET_KEY"], token)
        )
    except BadToken as error:
        return render_template("mail/link_invalid.html", expired=error.expired), 404
    if subscriber is None:
        return render_template("mail/link_invalid.html", expired=False), 404
    campaign = session.get(Campaign, subscriber.campaign_id)
    form = ActionForm()
    if not form.validate_on_submit():
        return render_template(
            "mail/confirm.html", campaign=campaign, form=form, confirmed=False
        ), (400 if form.is_submitted() else 200)
    confirm(session, subscriber)
    session.commit()
    return render_template("mail/confirm.html", campaign=campaign, form=form, confirmed=True)


@bp.get("/mail/unsubscribe/<token>")
def unsubscribe_page(token):
    """Show the unsubscribe button; the link alone changes nothing."""
    _read_unsubscribe(token)
    return render_template("mail/unsubscribe.html", token=token, done=False)


@bp.post("/mail/unsubscribe/<token>")
@csrf.exempt  # RFC 8058: the mail provider posts without cookie or token; the link is signed
def one_click_unsubscribe(token):
    session = get_session()
    subscriber = find_subscriber(session, *_read_unsubscribe(token))
    if subscriber is not None:  # already gone: the same answer
        unsubscribe(session, subscriber)
        session.commit()
    return render_template("mail/unsubscribe.html", token=token, done=True)


def _read_unsubscribe(token: str) -> tuple[int, str]:
    try:
        return read_unsubscribe_token(current_app.config["SECRET_KEY"], token)
    except BadToken:
        abort(404)
