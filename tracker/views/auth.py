"""Founder accounts: register, log in, log out."""

import math

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from tracker.accounts.login_throttle import LoginLimits, login_wait
from tracker.accounts.users import authenticate, create_user, end_sessions
from tracker.db import get_session
from tracker.errors import InvalidInput
from tracker.forms import ActionForm, attach_errors
from tracker.forms.accounts import LoginForm, RegisterForm
from tracker.views.redirects import same_site_path
from tracker.views.rendering import see_other

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.route("/register", methods=["GET", "POST"])
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        session = get_session()
        try:
            user = create_user(session, email=form.email.data, password=form.password.data)
        except InvalidInput as error:
            attach_errors(form, error.errors)
        else:
            session.commit()
            login_user(user)
            flash(_("Your founder account is ready."))
            return see_other(url_for("founder.index"))
    return render_template("auth/register.html", form=form), 422 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        # The client's address, or the one a trusted proxy reports (TRACKER_PROXY_COUNT).
        session, address = get_session(), request.remote_addr or "unknown"
        limits = LoginLimits.from_config(current_app.config)
        wait = login_wait(session, email=form.email.data, address=address, limits=limits)
        if wait:
            return _too_many_attempts(wait)
        user = authenticate(
            session, email=form.email.data, password=form.password.data, address=address
        )
        session.commit()
        if user is not None:
            login_user(user)
            return see_other(same_site_path(request.args.get("next")) or url_for("founder.index"))
        form.form_errors.append("The email or the password is wrong.")
    return render_template("auth/login.html", form=form), 422 if form.errors else 200


@bp.post("/logout")
@login_required
def logout():
    if not ActionForm().validate_on_submit():
        abort(400)
    session = get_session()
    # A copy of the cookie (or a remember-me cookie) must not outlive the logout.
    end_sessions(session, current_user._get_current_object())
    session.commit()
    logout_user()
    flash("You are logged out.")
    return see_other(url_for("public.index"))


def _too_many_attempts(wait: int):
    later = f"{wait} seconds" if wait < 120 else f"{math.ceil(wait / 60)} minutes"
    message = f"Too many attempts. Wait {later}, then try again."
    page = render_template("errors/error.html", code=429, message=message)
    response = make_response(page, 429)
    response.headers["Retry-After"] = str(wait)
    return response
