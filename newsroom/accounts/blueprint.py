"""The staff accounts blueprint: password reset (/login/forgot, /login/reset/…), invitation
links (/invitations/…) and /account."""
from flask import Blueprint, request

blueprint = Blueprint("accounts", __name__)


@blueprint.after_request
def keep_links_secret(response):
    """A reset or invitation link's URL is a secret: its page never sends it on as a Referer."""
    if request.endpoint in ("accounts.reset", "accounts.accept_invitation"):
        response.headers["Referrer-Policy"] = "no-referrer"
    return response
