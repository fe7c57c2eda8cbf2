"""The signed-in member of staff's own account at /account: name, notifications, password."""
from __future__ import annotations

import logging

from flask import flash, redirect, render_template, url_for
from flask_login import login_required, login_user

from newsroom.accounts.blueprint import blueprint
from newsroom.accounts.forms import PasswordChangeForm, ProfileForm
from newsroom.auth import current_staff, throttle
from newsroom.extensions import client_ip, db
from newsroom.models import AuditEntry

log = logging.getLogger(__name__)

WRONG_PASSWORD = "That is not your current password."  # nosec B105 - a message, not a secret
THROTTLED = "Too many wrong passwords. Please wait a few minutes before trying again."


def _page(profile: ProfileForm, password: PasswordChangeForm, status: int = 200):
    return render_template("accounts/profile.html", profile=profile, password=password), status


@blueprint.get("/account")
@login_required
def account():
    """The profile page with its two forms."""
    return _page(ProfileForm(obj=current_staff()), PasswordChangeForm(formdata=None))


@blueprint.post("/account")
@login_required
def update_profile():
    """Save the name and the notification settings."""
    form = ProfileForm()
    if not form.validate():
        return _page(form, PasswordChangeForm(formdata=None), 400)
    form.populate_obj(current_staff())
    db.session.commit()
    flash("Your profile is saved.", "info")
    return redirect(url_for(".account"))


@blueprint.post("/account/password")
@login_required
def change_password():
    """A new password (the current one first); other sessions of the account end."""
    user = current_staff()
    form = PasswordChangeForm()
    profile = ProfileForm(formdata=None, obj=user)
    if not form.validate():
        return _page(profile, form, 400)
    login_throttle, ip = throttle.login_throttle(), client_ip()
    if login_throttle.admit(ip, user.email):
        form.current_password.errors.append(THROTTLED)
        return _page(profile, form, 429)
    if not user.check_password(form.current_password.data):
        login_throttle.record_failure(ip, user.email)
        form.current_password.errors.append(WRONG_PASSWORD)
        return _page(profile, form, 400)
    user.set_password(form.password.data)  # a new session token: other sessions end
    db.session.add(AuditEntry(actor_id=user.id, action="password-change", subject=user.email,
                              detail={"via": "profile"}))
    db.session.commit()
    login_user(user)  # this session carries the new token
    log.info("staff user %s changed their password", user.id)
    flash("Your password is changed; your other sessions are signed out.", "info")
    return redirect(url_for(".account"))
