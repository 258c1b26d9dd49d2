"""The tracker: milestones, pledges and social feeds of a crowdfunded project."""

from flask import Flask

from tracker import config
from tracker.resources import resource_dir


def create_app(test_config: dict | None = None) -> Flask:
    """Create and wire the application."""
    app = configured_app(test_config)

    from tracker import db, jobs
    from tracker.mail.settings import settle_mail_config
    from tracker.media.storage import settle_media_dir
    from tracker.views import absolute_urls, caching, i18n, register_blueprints, security

    security.init_app(app)
    absolute_urls.init_app(app)
    db.init_app(app)
    settle_mail_config(app.config, app.instance_path)
    settle_media_dir(app.config, app.instance_path)
    jobs.init_app(app)
    i18n.init_app(app)
    caching.init_app(app)
    register_blueprints(app)
    return app


def configured_app(test_config: dict | None = None) -> Flask:
    """Return the app with its configuration read and nothing wired yet."""
    # create_app wires it; `tracker feeds poll` adds only the database (tracker.cli.feeds).
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=resource_dir("templates"),
        static_folder=resource_dir("static"),
    )
    # FLASK_DEBUG in a server's environment changes nothing; `tracker run --debug` turns
    # debug on after creating the app (tracker.cli.serve).
    app.debug = False
    app.config.from_object(config)
    app.config.from_prefixed_env("TRACKER")
    if test_config:
        app.config.update(test_config)
    return app
