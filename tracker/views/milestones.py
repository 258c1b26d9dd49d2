"""Milestones on the dashboard: create, edit, reorder and change status inline."""

from flask import Blueprint, abort, flash, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.campaigns.milestones import (
    MilestoneInput,
    add_milestone,
    change_milestone,
    get_milestone,
    history_of,
    milestones_of,
    move_milestone,
    update_milestone,
)
from tracker.db import get_session
from tracker.errors import InvalidInput, NotFound
from tracker.feeds.milestone_links import relink_milestone
from tracker.forms import ActionForm, attach_errors
from tracker.forms.campaigns import MilestoneForm, StatusForm
from tracker.models import Actor
from tracker.money import parse_major_amount, to_major
from tracker.pledges.funding import net_total
from tracker.views.access import team_campaign
from tracker.views.rendering import render_page_or_fragment, see_other, wants_fragment

bp = Blueprint("milestones", __name__, url_prefix="/dashboard/<slug>/milestones")


@bp.route("/new", methods=["GET", "POST"])
@team_campaign
def new(campaign):
    form = MilestoneForm()
    if form.validate_on_submit():
        session = get_session()
        milestone = _added_milestone(session, campaign, form)
        if milestone is not None:
            session.commit()
            flash(_("The milestone %(title)s is added.", title=milestone.title))
            return _roadmap_or_redirect(campaign)
    return _new_form(campaign, form)


@bp.route("/<int:milestone_id>/edit", methods=["GET", "POST"])
@team_campaign
def edit(campaign, milestone_id):
    session = get_session()
    milestone = _milestone(campaign, milestone_id)
    form = _edit_form(campaign, milestone)
    if form.validate_on_submit() and _saved_milestone(session, campaign, milestone, form):
        session.commit()
        flash(_("The milestone %(title)s is saved.", title=milestone.title))
        return _row_or_redirect(campaign, milestone)
    return render_page_or_fragment(
        "milestones/edit.html",
        "milestones/_edit_form.html",
        422 if form.errors else 200,
        campaign=campaign,
        milestone=milestone,
        form=form,
    )


def _added_milestone(session, campaign, form):
    """Add the submitted milestone and link the updates naming it; None when it is refused."""
    try:
        milestone = add_milestone(
            session, campaign, milestone_input(form, campaign), actor=_actor()
        )
    except InvalidInput as error:
        attach_errors(form, error.errors)
        return None
    relink_milestone(session, milestone)  # updates that already mention it
    return milestone


def _new_form(campaign, form):
    response = render_page_or_fragment(
        "milestones/new.html",
        "milestones/_new_form.html",
        422 if form.errors else 200,
        campaign=campaign,
        form=form,
    )
    if form.errors:
        # The form posts into the roadmap; its errors belong in the form itself.
        response.headers["HX-Retarget"] = "#new-milestone"
        response.headers["HX-Reswap"] = "outerHTML"
    return response


def _edit_form(campaign, milestone):
    form = MilestoneForm(obj=milestone)
    if not form.is_submitted() and milestone.threshold_minor is not None:
        form.threshold.data = str(to_major(milestone.threshold_minor, campaign.currency))
    return form


def _saved_milestone(session, campaign, milestone, form) -> bool:
    """Save the submitted changes and relink when its tag or title moved; False when refused."""
    before = (milestone.tag, milestone.title)
    try:
        update_milestone(
            session,
            milestone,
            milestone_input(form, campaign),
            actor=_actor(),
            reason=form.reason.data or "",
        )
    except InvalidInput as error:
        attach_errors(form, error.errors)
        return False
    if (milestone.tag, milestone.title) != before:
        relink_milestone(session, milestone)
    return True


@bp.post("/<int:milestone_id>/status")
@team_campaign
def set_status(campaign, milestone_id):
    milestone = _milestone(campaign, milestone_id)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    session = get_session()
    change_milestone(session, milestone, status=form.status.data, actor=_actor())
    session.commit()
    return _row_or_redirect(campaign, milestone)


@bp.post("/<int:milestone_id>/move/<any(up, down):direction>")
@team_campaign
def move(campaign, milestone_id, direction):
    milestone = _milestone(campaign, milestone_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    session = get_session()
    move_milestone(session, milestone, direction=direction)
    session.commit()
    return _roadmap_or_redirect(campaign)


def milestone_input(form: MilestoneForm, campaign) -> MilestoneInput:
    """Turn the submitted form into plain milestone values."""
    threshold = (form.threshold.data or "").strip()
    try:
        threshold_minor = parse_major_amount(threshold, campaign.currency) if threshold else None
    except ValueError as error:
        raise InvalidInput({"threshold": str(error)}) from None
    return MilestoneInput(
        title=form.title.data or "",
        description_md=form.description_md.data or "",
        due_on=form.due_on.data,
        status=form.status.data,
        progress=form.progress.data,
        completed_on=form.completed_on.data,
        is_public=bool(form.is_public.data),
        threshold_minor=threshold_minor,
        tag=form.tag.data,
    )


def _milestone(campaign, milestone_id):
    try:
        return get_milestone(get_session(), campaign, milestone_id)
    except NotFound:
        abort(404)


def _actor() -> Actor:
    return Actor(user_id=current_user.id, label=current_user.email)


def _roadmap_or_redirect(campaign):
    if not wants_fragment():
        return see_other(url_for("founder.campaign", slug=campaign.slug))
    session = get_session()
    roadmap = milestones_of(session, campaign.id)
    return render_page_or_fragment(
        "founder/campaign.html",
        "milestones/_roadmap.html",
        campaign=campaign,
        milestones=roadmap,
        history=history_of(session, [m.id for m in roadmap]),
        status_form=StatusForm(formdata=None),
        form=MilestoneForm(formdata=None),
        oob_form=True,
        funded_minor=net_total(session, campaign),
    )


def _row_or_redirect(campaign, milestone):
    if not wants_fragment():
        return see_other(url_for("founder.campaign", slug=campaign.slug) + f"#m{milestone.id}")
    session = get_session()
    return render_page_or_fragment(
        "founder/campaign.html",
        "milestones/_row.html",
        campaign=campaign,
        milestone=milestone,
        history=history_of(session, [milestone.id]),
        status_form=StatusForm(formdata=None),
        funded_minor=net_total(session, campaign),
    )
