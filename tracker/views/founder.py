"""The founder's dashboard: campaigns and their team."""

from flask import Blueprint, abort, flash, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from tracker.campaigns.campaigns import (
    CampaignInput,
    campaigns_of,
    create_campaign,
    team_of,
    update_campaign,
)
from tracker.campaigns.hero import hero_files
from tracker.campaigns.invitations import (
    accept_invitation,
    decline_invitation,
    invitations_for,
    invite_editor,
    pending_invitees,
)
from tracker.campaigns.milestones import history_of, milestones_of
from tracker.campaigns.video_thumbnails import request_thumbnail, shown_thumbnail, thumbnail_files
from tracker.dates import today_in
from tracker.db import get_session
from tracker.errors import InvalidInput, NotFound
from tracker.forms import ActionForm, attach_errors
from tracker.forms.campaigns import (
    CampaignForm,
    EditorForm,
    HeroImageForm,
    MilestoneForm,
    StatusForm,
    TeamMailForm,
)
from tracker.mail.subscribers import confirmed_subscribers
from tracker.mail.team import get_member, set_choices
from tracker.models import utcnow
from tracker.money import parse_major_amount, to_major
from tracker.pledges.funding import net_total
from tracker.public.community import followers_across
from tracker.public.share_card import undrawable
from tracker.public.update_impact import update_silence
from tracker.views.access import team_campaign
from tracker.views.rendering import see_other
from tracker.views.video_thumbnails import follow_video_change

bp = Blueprint("founder", __name__, url_prefix="/dashboard")


@bp.get("/")
@login_required
def index():
    session = get_session()
    return render_template(
        "founder/index.html",
        campaigns=campaigns_of(session, current_user.id),
        invitations=invitations_for(session, current_user.id),
    )


@bp.post("/invitations/<int:invitation_id>/<any(accept, decline):answer>")
@login_required
def answer_invitation(invitation_id, answer):
    if not ActionForm().validate_on_submit():
        abort(400)
    session = get_session()
    try:
        if answer == "accept":
            campaign = accept_invitation(session, invitation_id, user_id=current_user.id)
        else:
            decline_invitation(session, invitation_id, user_id=current_user.id)
    except NotFound:
        abort(404)
    session.commit()
    if answer == "accept":
        return see_other(url_for("founder.campaign", slug=campaign.slug))
    return see_other(url_for("founder.index"))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_campaign():
    form = CampaignForm()
    if form.validate_on_submit():
        session = get_session()
        try:
            campaign = create_campaign(session, owner=current_user, data=campaign_input(form))
        except InvalidInput as error:
            attach_errors(form, error.errors)
        else:
            change = request_thumbnail(session, campaign, now=utcnow())
            session.commit()
            follow_video_change(session, campaign, change)
            flash(_("The campaign %(title)s is created.", title=campaign.title))
            return see_other(url_for("founder.campaign", slug=campaign.slug))
    status = 422 if form.errors else 200
    return render_template("founder/campaign_form.html", form=form, campaign=None), status


@bp.get("/<slug>/")
@team_campaign
def campaign(campaign):
    session = get_session()
    roadmap = milestones_of(session, campaign.id)
    return render_template(
        "founder/campaign.html",
        campaign=campaign,
        milestones=roadmap,
        history=history_of(session, [m.id for m in roadmap]),
        milestone_form=MilestoneForm(formdata=None),
        status_form=StatusForm(formdata=None),
        silence=update_silence(session, campaign, today=today_in(campaign.timezone)),
        funded_minor=net_total(session, campaign),
        subscribers=confirmed_subscribers(session, campaign),
        followers=followers_across(session, campaign, now=utcnow()),
    )


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@team_campaign
def edit_campaign(campaign):
    if request.method == "GET":
        return campaign_settings_page(campaign)
    form = CampaignForm(obj=campaign)
    if form.validate_on_submit():
        session = get_session()
        try:
            update_campaign(session, campaign, campaign_input(form))
        except InvalidInput as error:
            attach_errors(form, error.errors)
        else:
            change = request_thumbnail(session, campaign, now=utcnow())
            session.commit()
            follow_video_change(session, campaign, change)
            return see_other(url_for("founder.campaign", slug=campaign.slug))
    return campaign_settings_page(campaign, form=form, status=422 if form.errors else 200)


def campaign_settings_page(campaign, *, form=None, image_form=None, status=200):
    """Render the campaign's settings: its form, and the hero image's upload form."""
    if form is None:
        form = CampaignForm(obj=campaign, formdata=None)
        form.goal.data = str(to_major(campaign.goal_minor, campaign.currency))
    thumbnail = shown_thumbnail(get_session(), campaign)
    return render_template(
        "founder/campaign_form.html",
        form=form,
        image_form=image_form or HeroImageForm(formdata=None),
        campaign=campaign,
        hero=hero_files(campaign),
        thumbnail=thumbnail,
        thumbnail_files=thumbnail_files(thumbnail),
        # The share card has no font for CJK or emoji: it leaves them out, and says so here.
        card_gaps=" ".join(undrawable(campaign.title, bold=True)),
    ), status


@bp.route("/<slug>/team", methods=["GET", "POST"])
@team_campaign
def team(campaign):
    form = EditorForm()
    session = get_session()
    if form.validate_on_submit():
        try:
            invite_editor(session, campaign, email=form.email.data, invited_by=current_user.id)
        except InvalidInput as error:
            attach_errors(form, error.errors)
        else:
            session.commit()
            return see_other(url_for("founder.team", slug=campaign.slug))
    status = 422 if form.errors else 200
    member = get_member(session, campaign, current_user.id)
    mail_form = TeamMailForm(formdata=None, alerts=member.mail_alerts, summary=member.mail_summary)
    return render_template(
        "founder/team.html",
        campaign=campaign,
        members=team_of(session, campaign),
        invitees=pending_invitees(session, campaign),
        form=form,
        mail_form=mail_form,
    ), status


@bp.post("/<slug>/team/mail")
@team_campaign
def team_mail(campaign):
    form, session = TeamMailForm(), get_session()
    if not form.validate_on_submit():
        abort(400)
    member = get_member(session, campaign, current_user.id)
    set_choices(session, member, alerts=form.alerts.data, summary=form.summary.data)
    session.commit()
    return see_other(url_for("founder.team", slug=campaign.slug) + "#mail")


def campaign_input(form: CampaignForm) -> CampaignInput:
    """Turn the submitted form into plain campaign values."""
    currency = (form.currency.data or "").strip().upper()
    try:
        goal_minor = parse_major_amount(form.goal.data or "", currency or "EUR")
    except ValueError as error:
        raise InvalidInput({"goal": str(error)}) from None
    return CampaignInput(
        slug=form.slug.data or "",
        title=form.title.data or "",
        tagline=form.tagline.data or "",
        description_md=form.description_md.data or "",
        goal_minor=goal_minor,
        currency=currency,
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        platform=form.platform.data,
        language=form.language.data,
        is_public=bool(form.is_public.data),
        cadence_days=form.cadence_days.data or 14,
        timezone=form.timezone.data or "",
        platform_url=form.platform_url.data or "",
        late_pledge_url=form.late_pledge_url.data or "",
        video_url=form.video_url.data or "",
        image_alt=form.image_alt.data or "",
        video_embed=bool(form.video_embed.data),
        public_feedback=bool(form.public_feedback.data),
        public_rewards=bool(form.public_rewards.data),
        attach_report_pdf=bool(form.attach_report_pdf.data),
    )
