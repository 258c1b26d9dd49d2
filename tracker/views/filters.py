"""Template filters and globals: Markdown, milestone timing, labels, locale."""

from datetime import date

from flask import Flask
from flask_babel import get_locale, gettext
from jinja2 import pass_context
from markupsafe import Markup

from tracker.campaigns.milestones import timing_of
from tracker.dates import today_in
from tracker.feeds.content import stored_html_for_display
from tracker.forms.campaigns import STATUS_LABELS
from tracker.markup import link_outside_images, render_markdown
from tracker.public.progress import funded_percent


def init_app(app: Flask) -> None:
    """Register the filters and globals every template may use."""
    app.add_template_filter(_markdown, "markdown")
    app.add_template_filter(_timing, "timing")
    app.add_template_filter(status_label, "status_label")
    app.add_template_filter(date.fromisoformat, "isodate")
    app.add_template_filter(funded_percent, "funded_percent")
    app.add_template_filter(_public_entry_html, "public_entry_html")
    app.add_template_global(lambda: str(get_locale() or "en"), "current_locale")


def _markdown(text: str) -> Markup:
    # Safe: render_markdown drops raw HTML and sanitises with an allowlist.
    return Markup(render_markdown(text))  # noqa: S704


def _public_entry_html(value: str) -> Markup:
    # Safe: stored entry HTML is cleaned with the allowlist again; images of other hosts
    # become links, so a backer's visit is never reported to them.
    return Markup(link_outside_images(stored_html_for_display(value)))  # noqa: S704


@pass_context
def _timing(context, milestone, changes, funded_minor=None):
    # "N days late" against the campaign's today, the page's campaign naming its zone.
    today = today_in(getattr(context.get("campaign"), "timezone", None))
    return timing_of(milestone, changes, today, funded_minor=funded_minor)


def status_label(status: str) -> str:
    return gettext(STATUS_LABELS.get(status, status))
