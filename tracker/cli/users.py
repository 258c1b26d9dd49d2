"""`tracker users`: founder accounts."""

import sys

import click
from flask.cli import with_appcontext

from tracker.accounts import create_user
from tracker.cli import fail_on_bad_input
from tracker.db import get_session
from tracker.errors import InvalidInput


@click.group("users", help="Manage founder accounts.")
def users_group():
    pass


@users_group.command("create")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_command(email, password_stdin):
    """Create a founder account; the password is prompted for unless piped."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    session = get_session()
    try:
        user = create_user(session, email=email, password=password)
    except InvalidInput as error:
        raise fail_on_bad_input(error) from None
    session.commit()
    click.echo(f"created user {user.email}")


COMMANDS = (users_group,)
