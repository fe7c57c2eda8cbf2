"""Sign-in at /login and sign-out at /logout (POST only)."""
from __future__ import annotations

import logging

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_user, logout_user
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from newsroom.auth import throttle
from newsroom.auth.blueprint import blueprint
from newsroom.auth.forms import LoginForm
from newsroom.auth.redirects import destination
from newsroom.auth.sessions import new_csrf_secret
from newsroom.extensions import client_ip, db
from newsroom.models import User, utcnow

log = logging.getLogger(__name__)

#: One answer for an unknown email, a wrong password and a deactivated account alike.
FAILED = "That email and password do not match an active staff account."
THROTTLED = (
    "Too many failed sign-in attempts. Please wait {minutes} minute{s} before trying again."
)

#: The hash unknown emails are checked against, one per hash method (the app's setting).
_dummy_hashes: dict[str, str] = {}


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    """Staff sign-in: email and password, then on to ``next`` or the desk of the user's role."""
    form = LoginForm()
    if request.method == "GET":
        if current_user.is_authenticated:
            return redirect(destination(current_user, request.args.get("next")))
        form.next.data = request.args.get("next", "")
        return render_template("auth/login.html", form=form)
    if not form.validate():
        return render_template("auth/login.html", form=form), 400
    ip, email = client_ip(), form.email.data
    login_throttle = throttle.login_throttle()
    wait = login_throttle.admit(ip, email)
    if wait:
        return _refused(form, wait)
    user = authenticate(email, form.password.data)
    if user is None:
        login_throttle.record_failure(ip, email)
        log.warning("failed staff sign-in attempt")
        return render_template("auth/login.html", form=form, failure=FAILED), 400
    login_throttle.record_success(ip, email)
    user.last_login_at = utcnow()
    user.end_sessions()  # a new session token: older sessions of this account end
    db.session.commit()
    new_csrf_secret()
    login_user(user)
    log.info("staff user %s signed in", user.id)
    return redirect(destination(user, form.next.data))


@blueprint.post("/logout")
def logout():
    """Sign out, then back to the sign-in page (CSRFProtect refuses a POST without a token)."""
    if current_user.is_authenticated:
        current_user.end_sessions()  # a copy of this session's cookie is refused from now on
        db.session.commit()
        logout_user()
        new_csrf_secret()
        flash("You have signed out.", "info")
    return redirect(url_for(".login"))


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None (same work done either way)."""
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.lower()))
    if user is None:
        check_password_hash(_hash_for_unknown_users(), password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


def _hash_for_unknown_users() -> str:
    """A hash to check unknown emails against, so they take as long as known ones."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _dummy_hashes:
        _dummy_hashes[method] = generate_password_hash("not a real password", method=method)
    return _dummy_hashes[method]


def _refused(form: LoginForm, wait: int):
    minutes = max(1, -(-wait // 60))
    message = THROTTLED.format(minutes=minutes, s="" if minutes == 1 else "s")
    html = render_template("auth/login.html", form=form, failure=message)
    return html, 429, {"Retry-After": str(wait)}
