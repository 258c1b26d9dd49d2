"""Blueprints, one per audience or area."""

from flask import Flask


def register_blueprints(app: Flask) -> None:
    """Register every blueprint and the error pages."""
    from flask_htmx import HTMX

    from tracker.views import (
        api,
        auth,
        converters,
        entry_links,
        errors,
        feedback,
        feedback_insights,
        feeds,
        filters,
        founder,
        funding,
        insights,
        milestones,
        public,
        reports,
        seo,
        syndication,
    )

    converters.init_app(app)
    HTMX(app)
    for module in (
        auth,
        founder,
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
        seo,
        syndication,
    ):
        app.register_blueprint(module.bp)
    errors.init_app(app)
    filters.init_app(app)
