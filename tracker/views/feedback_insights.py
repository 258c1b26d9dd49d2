"""Feedback trends, top voices and spike alerts on the dashboard, and the private Atom feed."""

from datetime import timedelta

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import gettext as _

from tracker.atom import render_atom
from tracker.dates import local_midnight, today_in
from tracker.db import get_session
from tracker.errors import InvalidInput, NotFound
from tracker.feedback.alert_feed import alert_atom_entry
from tracker.feedback.alert_settings import (
    feedback_settings,
    peek_settings,
    regenerate_token,
    settings_for_token,
    update_settings,
)
from tracker.feedback.alerts import alert_entries, current_alert
from tracker.feedback.charts import fill_days, mood_chart_svg, voice_chart_svg
from tracker.feedback.stats import channel_volume, daily_sentiment, top_voices
from tracker.forms import ActionForm, attach_errors
from tracker.forms.feedback import SettingsForm
from tracker.models import utcnow
from tracker.views.absolute_urls import absolute_url, public_host
from tracker.views.access import team_campaign
from tracker.views.feedback_figures import mood_figure, mood_text, voice_figure, voice_text
from tracker.views.rendering import see_other, svg_response

bp = Blueprint("feedback_insights", __name__, url_prefix="/dashboard/<slug>/feedback")
PERIODS = (7, 30, 90)


def _period() -> int:
    # A choice among PERIODS, compared as text: no number from outside is parsed.
    days = request.args.get("days", "")
    return next((period for period in PERIODS if str(period) == days), 30)


def _days(campaign, period):
    today = today_in(campaign.timezone)
    first = today - timedelta(days=period - 1)
    since = local_midnight(first, campaign.timezone)
    found = daily_sentiment(get_session(), campaign, since=since)
    return fill_days(found, first=first, last=today), since


@bp.get("/insights")
@team_campaign
def insights(campaign):
    session, period = get_session(), _period()
    days, since = _days(campaign, period)
    volume = channel_volume(session, campaign, since=since)
    return render_template(
        "feedback/insights.html",
        campaign=campaign,
        period=period,
        periods=PERIODS,
        days=days,
        mood=mood_figure(days),
        voice=voice_figure(volume) if volume else None,
        volume=volume,
        by_posts=top_voices(session, campaign),
        by_engagement=top_voices(session, campaign, by="engagement"),
        by_followers=top_voices(session, campaign, by="followers"),
    )


def private_svg(svg: str):
    """Serve a team-only chart: the SVG policy, and never kept by shared caches."""
    response = svg_response(svg)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


@bp.get("/charts/sentiment.svg")
@team_campaign
def sentiment_chart(campaign):
    days, _since = _days(campaign, _period())
    return private_svg(mood_chart_svg(days, mood_text(days), panels=("mood",)))


@bp.get("/charts/labels.svg")
@team_campaign
def labels_chart(campaign):
    days, _since = _days(campaign, _period())
    return private_svg(mood_chart_svg(days, mood_text(days), panels=("comments",)))


@bp.get("/charts/voice.svg")
@team_campaign
def voice_chart(campaign):
    _filled, since = _days(campaign, _period())
    volume = channel_volume(get_session(), campaign, since=since)
    return private_svg(voice_chart_svg(volume, voice_text(volume)))


@bp.app_template_global("feedback_alert")
def feedback_alert(campaign):
    """Return the campaign's active feedback alert for a banner, or None when calm."""
    session = get_session()
    assessment = current_alert(session, campaign, peek_settings(session, campaign), now=utcnow())
    return assessment if assessment.active else None


def _render_alerts(campaign, *, form=None, status=200):
    session, now = get_session(), utcnow()
    settings = peek_settings(session, campaign)
    if form is None:
        form = SettingsForm(formdata=None, obj=settings)
        form.negative_share.data = round(settings.negative_share * 100)
    assessment = current_alert(session, campaign, settings, now=now)
    feed_url = (
        absolute_url("feedback_insights.alert_feed", slug=campaign.slug, token=settings.alert_token)
        if settings.alert_token
        else None
    )
    return render_template(
        "feedback/alerts.html",
        campaign=campaign,
        assessment=assessment,
        entries=alert_entries(session, campaign, now=now) if assessment.active else [],
        form=form,
        feed_url=feed_url,
        settings=settings,
    ), status


@bp.get("/alerts")
@team_campaign
def alerts(campaign):
    return _render_alerts(campaign)


@bp.post("/alerts/settings")
@team_campaign
def save_settings(campaign):
    form = SettingsForm()
    if form.validate_on_submit():
        session = get_session()
        try:
            update_settings(
                session,
                campaign,
                negative_share=float(form.negative_share.data) / 100,
                share_min_volume=form.share_min_volume.data,
                spike_min_count=form.spike_min_count.data,
            )
        except InvalidInput as error:
            attach_errors(form, error.errors)
        else:
            session.commit()
            return see_other(url_for("feedback_insights.alerts", slug=campaign.slug))
    return _render_alerts(campaign, form=form, status=422)


@bp.post("/alerts/token")
@team_campaign
def new_token(campaign):
    if not ActionForm().validate_on_submit():
        abort(400)
    session = get_session()
    if peek_settings(session, campaign).alert_token:
        regenerate_token(session, campaign)
    else:
        feedback_settings(session, campaign)
    session.commit()
    return see_other(url_for("feedback_insights.alerts", slug=campaign.slug) + "#feed")


@bp.get("/alerts/<token>.atom")
def alert_feed(slug, token):
    session, now = get_session(), utcnow()
    try:
        campaign, settings = settings_for_token(session, slug, token)
    except NotFound:
        abort(404)
    assessment = current_alert(session, campaign, settings, now=now)
    page_url = absolute_url("feedback_insights.alerts", slug=campaign.slug)
    items = _atom_alerts(campaign, assessment, page_url, now) if assessment.active else []
    xml = render_atom(
        feed_id=f"tag:{public_host()},2026:feedback-alerts/{campaign.id}",
        title=_("Feedback alerts: %(title)s", title=campaign.title),
        page_url=page_url,
        feed_url=absolute_url("feedback_insights.alert_feed", slug=campaign.slug, token=token),
        updated=now,
        entries=items,
    )
    response = current_app.response_class(xml, mimetype="application/atom+xml")
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["X-Robots-Tag"] = "noindex"
    response.headers["Referrer-Policy"] = "no-referrer"  # the URL itself is the secret
    return response


def _atom_alerts(campaign, assessment, page_url, now):
    lines = [
        (f"{e.author or '?'}: {' '.join(e.text.split())[:300]}", e.link)
        for e in alert_entries(get_session(), campaign, now=now)[:20]
    ]
    host, day = public_host(), now.date().isoformat()
    titles = {
        "spike": _("Spike of negative feedback on %(title)s", title=campaign.title),
        "share": _("Mostly negative feedback on %(title)s", title=campaign.title),
    }
    return [
        alert_atom_entry(
            id=f"tag:{host},{day}:feedback-alert/{campaign.id}/{kind}",
            title=titles[kind],
            summary=assessment.describe(),
            lines=lines,
            link=page_url,
            updated=now,
        )
        for kind in assessment.kinds
    ]
