"""The campaign for machines and other sites: Atom feed, badge, share card, chart, JSON."""

import json

from flask import Blueprint, current_app
from flask_babel import force_locale, format_decimal, format_percent, gettext, ngettext

from tracker.atom import AtomEntry, render_atom
from tracker.campaigns.timeline import timeline_page
from tracker.charts.funding import funding_chart_svg
from tracker.dates import format_day, local_midnight, today_in
from tracker.db import get_session
from tracker.feedback.charts import fill_days, mood_chart_svg
from tracker.feedback.public_figures import public_feedback
from tracker.markup import link_outside_images
from tracker.money import format_money
from tracker.public.badge import render_badge
from tracker.public.call_to_action import call_to_action
from tracker.public.freshness import campaign_content_stamp
from tracker.public.page import chart_markers
from tracker.public.progress import funded_percent, progress_bar
from tracker.public.share_card import ShareCard, render_share_card
from tracker.public.summary import campaign_summary
from tracker.views.absolute_urls import absolute_url
from tracker.views.caching import conditional_page, microcached
from tracker.views.feedback_figures import TREND_DAYS, mood_text
from tracker.views.figures import funding_chart_data, funding_chart_text
from tracker.views.media import hero_bytes, hero_url
from tracker.views.public import cached_funding, visible_campaign
from tracker.views.rendering import with_svg_policy
from tracker.views.timeline_text import describe

bp = Blueprint("syndication", __name__)
FEED_ITEMS = 50


def _respond(slug, build, mimetype: str, *, max_age: int = 300):
    """Serve build(session, campaign) with the page's ETag and Last-Modified."""
    session, campaign = get_session(), visible_campaign(slug)
    stamp = campaign_content_stamp(session, campaign)

    def render():
        body = build(session, campaign)
        return current_app.response_class(body, mimetype=mimetype)

    response = conditional_page(
        stamp.parts, render, changed_at=stamp.changed_at, zone_name=campaign.timezone
    )
    if response.cache_control.public:
        response.cache_control.max_age = max_age
    return response


@bp.get("/c/<slug>/feed.atom")
@microcached
def atom(slug):
    return _respond(slug, _atom_feed, "application/atom+xml")


def _atom_feed(session, campaign) -> bytes:
    """Write the campaign's newest timeline items as an Atom feed."""
    items = timeline_page(session, campaign, limit=FEED_ITEMS).items
    page_url = absolute_url("public.campaign", slug=campaign.slug)
    return render_atom(
        feed_id=page_url,
        title=campaign.title,
        subtitle=campaign.tagline or campaign.title,
        page_url=page_url,
        feed_url=absolute_url("syndication.atom", slug=campaign.slug),
        language=campaign.language,
        author=campaign.title,
        updated=items[0].at if items else campaign.updated_at,
        entries=[_atom_entry(campaign, item, page_url) for item in items],
    )


def _atom_entry(campaign, item, page_url: str) -> AtomEntry:
    return AtomEntry(
        id=f"{page_url}#{item.key}",
        title=describe(item, zone_name=campaign.timezone),
        updated=item.at,
        link=_item_link(campaign, item, page_url),
        summary=item.summary,
        content_html=link_outside_images(item.content_html),
    )


@bp.get("/c/<slug>/badge.svg")
@microcached
def badge(slug):
    def build(session, campaign):
        funding = cached_funding(session, campaign)
        amount = format_money(funding.net_minor, funding.currency, "en")
        percent = funded_percent(funding.net_minor, funding.goal_minor)  # as on the page
        state = "funded" if funding.percent_of_goal >= 100 else "running"
        # An ended campaign's figures are final: the badge says so and since when.
        end = campaign.ends_on
        ended = f" · ended {format_day(end, locale='en')}"
        return render_badge(
            "funded",
            f"{percent}% · {amount}" + (" · ended" if funding.ended else ""),
            state=state,
            title=f"{campaign.title}: {amount} of "
            f"{format_money(funding.goal_minor, funding.currency, 'en')}"
            + (ended if funding.ended else ""),
        )

    return with_svg_policy(_respond(slug, build, "image/svg+xml"))


@bp.get("/c/<slug>/card.png")
@microcached
def share_card(slug):
    def build(session, campaign):
        card = share_card_content(
            campaign, cached_funding(session, campaign), today=today_in(campaign.timezone)
        )
        return render_share_card(card)

    return _respond(slug, build, "image/png", max_age=3600)


def share_card_content(campaign, funding, *, today) -> ShareCard:
    """Word the share card in the campaign's language: one card for every visitor."""
    language = campaign.language
    with force_locale(language):
        money = lambda minor: format_money(minor, funding.currency, language)  # noqa: E731
        bar = progress_bar(funding)
        percent = format_percent(bar.percent / 100)
        facts = [
            gettext("%(percent)s of %(goal)s", percent=percent, goal=money(funding.goal_minor)),
            ngettext(
                "%(count)s backer",
                "%(count)s backers",
                funding.backers,
                count=format_decimal(funding.backers),
            ),
        ]
        if today > campaign.ends_on:
            ended = format_day(campaign.ends_on, locale=language)
            facts.append(gettext("ended %(day)s", day=ended))
        else:
            facts.append(ngettext("%(num)d day left", "%(num)d days left", funding.days_left))
        url = absolute_url("public.campaign", slug=campaign.slug)
        return ShareCard(
            title=campaign.title,
            tagline=campaign.tagline,
            raised=gettext("%(amount)s pledged", amount=money(funding.net_minor)),
            goal_line=" · ".join(facts),
            bar=bar,
            footer=url.split("://", 1)[-1],
            stretch_labels=tuple(f"{m.label} · {money(m.amount_minor)}" for m in bar.stretch),
            hero_png=hero_bytes(campaign),
            call_to_action=_action_text(call_to_action(campaign, ended=funding.ended)),
        )


def _action_text(action) -> str:
    if action is None:
        return ""
    if action.late:
        return gettext("Pledge late or pre-order on %(site)s", site=action.host)
    return gettext("Back this project on %(site)s", site=action.host)


@bp.get("/c/<slug>/funding.svg")
@microcached
def funding_chart(slug):
    def build(session, campaign):
        funding, today = cached_funding(session, campaign), today_in(campaign.timezone)
        markers = chart_markers(session, campaign, today=today)
        chart = funding_chart_data(campaign, funding, today=today, markers=markers)
        return funding_chart_svg(chart, funding_chart_text(campaign, funding, today=today))

    return with_svg_policy(_respond(slug, build, "image/svg+xml"))


@bp.get("/c/<slug>/sentiment.svg")
@microcached
def sentiment_chart(slug):
    def build(session, campaign):
        today = today_in(campaign.timezone)
        since = local_midnight(today - TREND_DAYS, campaign.timezone)
        trend = public_feedback(session, campaign, since=since).trend
        days = fill_days(trend, first=today - TREND_DAYS, last=today)
        return mood_chart_svg(days, mood_text(days))

    return with_svg_policy(_respond(slug, build, "image/svg+xml"))


@bp.get("/api/campaigns/<slug>.json")
@microcached
def summary_json(slug):
    def build(session, campaign):
        data = campaign_summary(
            session,
            campaign,
            funding=cached_funding(session, campaign),
            url=absolute_url("public.campaign", slug=campaign.slug),
            image_url=hero_url(campaign),
        )
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    response = _respond(slug, build, "application/json", max_age=60)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "ETag, Last-Modified"
    return response


def _item_link(campaign, item, page_url: str) -> str:
    if item.report_version is not None:
        return absolute_url(
            "reports.published_pdf", slug=campaign.slug, version=item.report_version
        )
    return item.url or f"{page_url}#{item.key}"
