"""A campaign's subscribers for its team: counts, a test message, the delivery log, erasure.

Never a list of addresses: the count per state and language, the log with addresses
masked for the owner and left out for editors, and an address deleted by typing it.
"""

from flask import Blueprint, flash, render_template, url_for
from flask_babel import gettext
from flask_login import current_user

from tracker.db import get_session
from tracker.errors import InvalidInput
from tracker.forms import ActionForm, attach_errors
from tracker.forms.mail import DeleteAddressForm
from tracker.mail.delivery_log import delivery_counts, delivery_log
from tracker.mail.outbox import queue_letter
from tracker.mail.subscribers import delete_address, subscriber_counts
from tracker.models import Campaign
from tracker.views.access import team_campaign
from tracker.views.mail_letters import deliver_soon, test_letter
from tracker.views.rendering import see_other

bp = Blueprint("subscribers", __name__, url_prefix="/dashboard/<slug>/subscribers")


@bp.get("/")
@team_campaign
def overview(campaign):
    return _page(campaign, DeleteAddressForm(formdata=None))


def _page(campaign: Campaign, delete_form, status: int = 200):
    session = get_session()
    is_owner = campaign.owner_id == current_user.id
    return render_template(
        "subscribers/overview.html",
        campaign=campaign,
        counts=subscriber_counts(session, campaign),
        deliveries=delivery_counts(session, campaign),
        log=delivery_log(session, campaign, show_recipients=is_owner),
        is_owner=is_owner,
        delete_form=delete_form,
    ), status


@bp.post("/test")
@team_campaign
def send_test(campaign):
    """Queue what backers would get to the signed-in founder's own address."""
    if not ActionForm().validate_on_submit():
        return _page(campaign, DeleteAddressForm(formdata=None), 400)
    session = get_session()
    letter = test_letter(session, campaign, address=current_user.email)
    queue_letter(
        session, recipient=current_user.email, kind="test", letter=letter, campaign_id=campaign.id
    )
    session.commit()
    deliver_soon()
    flash(gettext("A test message is on its way to %(address)s.", address=current_user.email))
    return see_other(url_for("subscribers.overview", slug=campaign.slug))


@bp.post("/delete")
@team_campaign
def delete(campaign):
    """Delete a subscriber's address on their request; say the same whether it was there."""
    form = DeleteAddressForm()
    if not form.validate_on_submit():
        return _page(campaign, form, 400)
    session = get_session()
    try:
        delete_address(session, campaign=campaign, address=form.address.data)
    except InvalidInput as error:
        attach_errors(form, {"address": error.errors["address"]})
        return _page(campaign, form, 400)
    session.commit()
    flash(gettext("This address is not among the subscribers any more."))
    return see_other(url_for("subscribers.overview", slug=campaign.slug))
