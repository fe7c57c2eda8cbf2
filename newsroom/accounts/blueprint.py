"""The staff accounts blueprint: password reset (/login/forgot, /login/reset/…) and /account."""
from flask import Blueprint, request

blueprint = Blueprint("accounts", __name__)


@blueprint.after_request
def keep_links_secret(response):
    """A reset link's URL is a secret: its page never sends it on as a Referer."""
    if request.endpoint == "accounts.reset":
        response.headers["Referrer-Policy"] = "no-referrer"
    return response
