"""Founder accounts: register, log in, log out."""

from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, render_template, request, url_for
from flask_login import login_required, login_user, logout_user

from tracker.accounts import authenticate, create_user, is_throttled
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
            return see_other(url_for("founder.index"))
    return render_template("auth/register.html", form=form), 422 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    if form.validate_on_submit():
        session, address = get_session(), request.remote_addr or "unknown"
        window = timedelta(seconds=current_app.config["LOGIN_WINDOW_SECONDS"])
        limit = current_app.config["LOGIN_MAX_FAILURES"]
        if is_throttled(
            session, email=form.email.data, address=address, max_failures=limit, window=window
        ):
            abort(429)
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
    logout_user()
    flash("You are logged out.")
    return see_other(url_for("public.index"))
