"""Blueprints, one per audience or area."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    """Register every blueprint and the error pages."""
    from tracker.views import (
        api,
        auth,
        converters,
        dev_mail,
        entry_links,
        errors,
        # Adds its views (posts, followers, OPML) to feeds.bp: imported before that is registered.
        feed_imports,  # noqa: F401
        feedback,
        feedback_insights,
        feeds,
        filters,
        flashes,
        founder,
        funding,
        insights,
        media,
        milestones,
        public,
        rendering,
        reports,
        rewards,
        seo,
        subscribers,
        subscriptions,
        syndication,
        webhooks,
    )

    converters.init_app(app)
    rendering.htmx.init_app(app)
    for module in (
        auth,
        founder,
        media,
        milestones,
        funding,
        feeds,
        entry_links,
        feedback,
        feedback_insights,
        insights,
        api,
        public,
        reports,
        rewards,
        seo,
        syndication,
        webhooks,
        dev_mail,
        subscriptions,
        subscribers,
    ):
        app.register_blueprint(module.bp)
    errors.init_app(app)
    flashes.init_app(app)
    filters.init_app(app)
