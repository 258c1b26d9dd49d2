"""The messages the embedded default wrote as files (no SMTP_URL), for development only."""

from email import message_from_binary_file, policy
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, send_from_directory

bp = Blueprint("dev_mail", __name__, url_prefix="/dev/mail")
SHOWN = 200  # the newest files; a long `make run` session may write thousands


@bp.before_request
def _development_only():
    # Messages hold confirmation and unsubscribe links: never listed on a real server.
    if not (current_app.debug or current_app.config.get("DEV_MAIL")):
        abort(404)


def _folder() -> Path:
    return Path(current_app.config["MAIL_DIR"])


@bp.get("")
def outbox():
    files = sorted(_folder().glob("*.eml"), reverse=True)[:SHOWN]
    messages = []
    for path in files:
        with path.open("rb") as file:
            headers = message_from_binary_file(file, policy=policy.default, _class=None)
        messages.append({"name": path.name, "to": headers["To"], "subject": headers["Subject"]})
    return render_template("mail/dev_outbox.html", messages=messages, folder=_folder())


@bp.get("/<name>")
def message(name):
    if not name.endswith(".eml") or "/" in name or name.startswith("."):
        abort(404)
    return send_from_directory(_folder(), name, mimetype="text/plain")
