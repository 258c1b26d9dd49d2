"""The `tracker` console script: a Flask CLI group over create_app."""

import importlib

import click
from flask import Flask
from flask.cli import FlaskGroup, ScriptInfo, run_command, shell_command
from flask.helpers import get_debug_flag

from tracker import configured_app, create_app
from tracker.errors import InvalidInput, NotFound

# Each command's module (tracker/cli/<module>.py, exposing COMMANDS) is imported when the
# command runs, never for `tracker --help`: importing them all loads the whole app, about
# ten times what Flask itself costs. name: (module, short help as `--help` lists it)
COMMAND_MODULES = {
    "campaigns": ("campaigns", "Manage campaigns."),
    "channels": ("channels", "Record what feeds do not carry, such as follower counts."),
    "db": ("db", "Manage the database schema."),
    "demo": ("data", "Load the demo campaign (idempotent, offline)."),
    "export": ("data", "Write the whole campaign as JSON (schema: docs/export-schema.json)."),
    "feedback": ("feedback", "Score follower feedback and watch for storms of criticism."),
    "feeds": ("feeds", "Follow a campaign's feeds and poll them."),
    "milestones": ("campaigns", "Manage a campaign's milestones."),
    "pledges": ("pledges", "Import backer reports and read funding figures."),
    "report": ("reports", "Write the campaign's progress report for a period as a tagged PDF."),
    "rewards": ("rewards", "Manage a campaign's reward tiers."),
    "subscribers": ("subscribers", "Count a campaign's e-mail subscribers (never addresses)."),
    "users": ("users", "Manage founder accounts."),
    "worker": ("worker", "Run background jobs until SIGTERM or Ctrl-C, or once (--once)."),
}


# Commands other than `run` need no secret key or public address; `run` checks them.
CLI_CONFIG = {"REQUIRE_SECRET_KEY": False, "REQUIRE_PUBLIC_URL": False}
DATABASE_APP = "tracker.database_app"  # ScriptInfo.data key


def _create_cli_app():
    return create_app(CLI_CONFIG)


def _create_database_app() -> Flask:
    from tracker import db

    app = configured_app(CLI_CONFIG)
    db.init_app(app)
    return app


def database_app(info: ScriptInfo) -> Flask:
    """Return the app for a command that needs the configuration and the database alone."""
    # The `tracker` script makes one without views, models or jobs: a cron poll starts in a
    # third of the time. A caller that brings its own ScriptInfo (test_cli_runner) gets
    # its own app.
    make = info.data.get(DATABASE_APP)
    return make() if make is not None else info.load_app()


@click.command("run", params=run_command.params, help=run_command.help)
@click.pass_context
def serve(ctx, **options):
    """Serve the app, refusing to do so without a secret key or public address outside debug."""
    from tracker.views.security import relax_for_local_debug

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


class TrackerGroup(FlaskGroup):
    """A FlaskGroup that imports a command's module only when that command runs."""

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        own_info = "obj" not in extra and "obj" not in self.context_settings
        ctx = super().make_context(info_name, args, parent=parent, **extra)
        if own_info:  # FlaskGroup made the ScriptInfo, for create_app: see database_app
            ctx.ensure_object(ScriptInfo).data[DATABASE_APP] = _create_database_app
        return ctx

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in COMMAND_MODULES:
            module = importlib.import_module(f"tracker.cli.{COMMAND_MODULES[name][0]}")
            for command in module.COMMANDS:
                self.add_command(command)
        if name in self.commands:
            return self.commands[name]
        # Flask's own lookup: plugin commands, then the app's `app.cli` (none today).
        return super().get_command(ctx, name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        # FlaskGroup would create the app here to list `app.cli` commands; there are none.
        return sorted({*self.commands, *COMMAND_MODULES})

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Listed by their short help alone, through click's own layout.
        listed = {
            name: click.Command(name, help=text) for name, (_, text) in COMMAND_MODULES.items()
        }
        click.Group(commands={**listed, **self.commands}).format_commands(ctx, formatter)


def _build() -> FlaskGroup:
    group = TrackerGroup(
        create_app=_create_cli_app,
        add_default_commands=False,
        help="Milestones, pledges and social feeds of a crowdfunded project.",
    )
    group.add_command(serve)
    group.add_command(shell_command)
    return group


main = _build()
