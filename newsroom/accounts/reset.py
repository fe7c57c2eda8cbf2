"""Password reset: /login/forgot sends a link by mail (as a job); /login/reset/<token> uses it.

Every well-formed request gets the same answer and does the same work (one job row) whether or
not the account exists; the job looks the address up and sends only to an active account.
"""
from __future__ import annotations

import logging
import secrets

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user, logout_user
from limits import parse_many
from sqlalchemy import func, select

from newsroom.accounts.blueprint import blueprint
from newsroom.accounts.forms import ForgotForm, NewPasswordForm
from newsroom.accounts.tokens import reset_token, user_for_reset_token
from newsroom.auth import throttle
from newsroom.extensions import client_ip, db
from newsroom.jobs import enqueue, handler
from newsroom.mail import site_url
from newsroom.mail.sending import Outgoing, postbox
from newsroom.models import AuditEntry, User

log = logging.getLogger(__name__)

SEND_RESET = "send-password-reset"
SENT = ("If an active staff account uses that address, a link to set a new password is on its "
        "way. It works once, for {minutes} minutes.")
TOO_MANY = "Too many reset requests from your network. Please try again later."


@blueprint.route("/login/forgot", methods=["GET", "POST"])
def forgot():
    """Ask for a reset link by email: one answer whether or not the account exists."""
    form = ForgotForm()
    if not form.is_submitted():
        return render_template("accounts/forgot.html", form=form)
    if not form.validate():
        return render_template("accounts/forgot.html", form=form), 400
    config, limiter = current_app.config, throttle.login_throttle()
    if not limiter.allow("reset-ip", parse_many(config["PASSWORD_RESET_LIMIT_PER_IP"]),
                         client_ip()):
        return render_template("accounts/forgot.html", form=form, failure=TOO_MANY), 429
    email = form.email.data
    # Over the per-address limit the answer stays the same and no more mail goes to it.
    if limiter.allow("reset-account", parse_many(config["PASSWORD_RESET_LIMIT_PER_ACCOUNT"]),
                     email):
        enqueue(SEND_RESET, {"email": email, "nonce": secrets.token_hex(8)})
        db.session.commit()
    minutes = int(config["PASSWORD_RESET_MAX_AGE"]) // 60
    return render_template("accounts/forgot.html", form=None, sent=SENT.format(minutes=minutes))


@handler(SEND_RESET)
def send_reset(payload: dict) -> str:
    """Mail the reset link to the active account with this address, if there is one."""
    email = str(payload["email"])
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is None or not user.active:
        return "no active account with that address: nothing sent"
    message = Outgoing(
        key=f"password-reset:{user.id}:{payload['nonce']}", kind="password_reset", to=user.email,
        subject="Set a new password",
        context={"name": user.display_name, "reset_url": site_url("accounts.reset",
                                                                  token=reset_token(user)),
                 "minutes": int(current_app.config["PASSWORD_RESET_MAX_AGE"]) // 60,
                 "forgot_url": site_url("accounts.forgot")},
    )
    with postbox() as post:
        return post.deliver(message)


@blueprint.route("/login/reset/<token>", methods=["GET", "POST"])
def reset(token: str):
    """The reset link's page: GET shows the form (so link scanners use nothing up), POST sets it."""
    user = user_for_reset_token(token)
    if user is None:
        return render_template("accounts/link_invalid.html"), 404
    form = NewPasswordForm()
    if not form.is_submitted():
        return render_template("accounts/reset.html", form=form, token=token)
    if not form.validate():
        return render_template("accounts/reset.html", form=form, token=token), 400
    user.set_password(form.password.data)  # a new session token: every session ends, link dies
    db.session.add(AuditEntry(action="password-reset", subject=user.email,
                              detail={"via": "reset link"}))
    db.session.commit()
    if current_user.is_authenticated:
        logout_user()
    log.info("staff user %s set a new password by reset link", user.id)
    flash("Your new password is set. Sign in with it.", "info")
    return redirect(url_for("auth.login"))
