"""The `tracker` console script: a Flask CLI group over create_app."""

import click
from flask.cli import FlaskGroup, ScriptInfo, run_command, shell_command
from flask.helpers import get_debug_flag

from tracker import create_app
from tracker.errors import InvalidInput, NotFound
from tracker.views.security import relax_for_local_debug


def _create_cli_app():
    # Commands other than `run` need no secret key or public address; `run` checks them.
    return create_app({"REQUIRE_SECRET_KEY": False, "REQUIRE_PUBLIC_URL": False})


@click.command("run", params=run_command.params, help=run_command.help)
@click.pass_context
def serve(ctx, **options):
    """Serve the app, refusing to do so without a secret key or public address outside debug."""
    app = ctx.ensure_object(ScriptInfo).load_app()
    if get_debug_flag():
        # The development server on request is the one place that relaxes; create_app
        # (gunicorn's wsgi.py) never does, whatever FLASK_DEBUG says.
        relax_for_local_debug(app)
        if not app.config.get("PUBLIC_URL"):
            app.config["PUBLIC_URL"] = local_address(options["host"], options["port"])
    if not app.config.get("SECRET_KEY"):
        raise click.ClickException(
            "TRACKER_SECRET_KEY is not set: refusing to serve without a secret key"
        )
    if not app.config.get("PUBLIC_URL"):
        raise click.ClickException(
            "TRACKER_PUBLIC_URL is not set: refusing to serve without the public address"
        )
    ctx.invoke(run_command, **options)


def local_address(host: str, port: int) -> str:
    """Return the http address a browser on this machine reaches the debug server at."""
    # A wildcard bind is no address to link to; an IPv6 literal needs brackets in a URL.
    host = {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)  # noqa: S104
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}"


def fail_on_bad_input(error: Exception):
    """Turn a domain error into a one-line CLI failure."""
    if isinstance(error, InvalidInput):
        return click.ClickException(str(error))
    if isinstance(error, NotFound):
        return click.ClickException(f"not found: {error.args[0]}")
    return error


def _build() -> FlaskGroup:
    from tracker.cli import campaigns, data, db, feedback, feeds, pledges, reports, users

    group = FlaskGroup(
        create_app=_create_cli_app,
        add_default_commands=False,
        help="Milestones, pledges and social feeds of a crowdfunded project.",
    )
    group.add_command(serve)
    group.add_command(shell_command)
    for module in (db, users, campaigns, pledges, feeds, feedback, reports, data):
        for command in module.COMMANDS:
            group.add_command(command)
    return group


main = _build()
