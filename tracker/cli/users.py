"""`tracker users`: founder accounts."""

import sys

import click
from flask.cli import with_appcontext

from tracker.accounts.users import create_user, find_user, set_password
from tracker.cli import fail_on_bad_input
from tracker.db import get_session
from tracker.errors import InvalidInput, NotFound


@click.group("users", help="Manage founder accounts.")
def users_group():
    pass


@users_group.command("create")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_command(email, password_stdin):
    """Create a founder account; the password is prompted for unless piped."""
    password = _read_password(password_stdin)
    session = get_session()
    try:
        user = create_user(session, email=email, password=password)
    except InvalidInput as error:
        raise fail_on_bad_input(error) from None
    session.commit()
    click.echo(f"created user {user.email}")


@users_group.command("set-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def set_password_command(email, password_stdin):
    """Give an account a new password and log it out everywhere."""
    session = get_session()
    try:
        user = find_user(session, email)
        if user is None:
            raise NotFound(f"user '{email}'")
        set_password(session, user, _read_password(password_stdin))
    except (InvalidInput, NotFound) as error:
        raise fail_on_bad_input(error) from None
    session.commit()
    click.echo(f"new password for {user.email}; its sessions have ended")


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


COMMANDS = (users_group,)
