"""Subscription pages: confirm (GET shows, POST confirms) and one-click unsubscribe (RFC 8058)."""
from __future__ import annotations

from flask import abort, current_app, render_template
from flask_wtf import FlaskForm

from newsroom import trust
from newsroom.extensions import csrf, db
from newsroom.subscriptions.service import (
    PROOF_COOKIE,
    confirm,
    followed_comments,
    lookup,
    proof_cookie,
)
from newsroom.subscriptions.blueprint import blueprint
from newsroom.subscriptions.service import unsubscribe as stop_mail

PROOF_MAX_AGE = 365 * 24 * 3600


class ConfirmForm(FlaskForm):
    """The confirm button: only the CSRF token."""


def _found(token: str):
    return lookup(token) or abort(404)


@blueprint.get("/<token>")
def show(token: str):
    """What confirming would turn on, and the button; a link scanner's GET changes nothing."""
    subscriber, subscription = _found(token)
    return render_template(
        "subscriptions/confirm.html", token=token, subscriber=subscriber,
        subscription=subscription, comments=followed_comments(subscriber), form=ConfirmForm(),
    )


@blueprint.post("/<token>")
def confirm_address(token: str):
    """Confirm the address: replies are emailed from now on, and this browser is given proof."""
    subscriber, subscription = _found(token)
    form = ConfirmForm()
    if not form.validate_on_submit():
        page = render_template("subscriptions/confirm.html", token=token, subscriber=subscriber,
                               subscription=subscription, form=form,
                               comments=followed_comments(subscriber), expired=True)
        return page, 400
    confirm(subscriber)
    # Opening the mailed link proves control of the address: this browser's comments as that
    # address skip the queue from now on (newsroom/trust.py).
    trust.trust_browser(subscriber.email, trust.ensure_browser_token())
    db.session.commit()
    response = trust.set_cookie(current_app.make_response(
        render_template("subscriptions/confirmed.html", token=token, subscriber=subscriber)
    ))
    response.set_cookie(
        PROOF_COOKIE, proof_cookie(subscriber), max_age=PROOF_MAX_AGE, httponly=True,
        samesite="Lax", secure=bool(current_app.config["SESSION_COOKIE_SECURE"]),
    )
    return response


@blueprint.get("/<token>/unsubscribe")
def unsubscribe_page(token: str):
    """The unsubscribe button, for a reader who follows the link in a message."""
    subscriber, subscription = _found(token)
    return render_template("subscriptions/unsubscribe.html", token=token,
                           subscriber=subscriber, subscription=subscription, done=False)


@blueprint.post("/<token>/unsubscribe")
@csrf.exempt  # RFC 8058: a mail client POSTs with no session; the token in the URL is the proof
def unsubscribe(token: str):
    """One-click unsubscribe: this thread (a thread's token) or everything (the address's)."""
    subscriber, subscription = _found(token)
    stop_mail(subscriber, subscription)
    db.session.commit()
    return render_template("subscriptions/unsubscribe.html", token=token,
                           subscriber=subscriber, subscription=subscription, done=True)
