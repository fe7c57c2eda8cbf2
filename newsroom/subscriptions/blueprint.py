"""The subscription pages' blueprint at /subscriptions: private answers, never cached."""
from __future__ import annotations

from flask import Blueprint

blueprint = Blueprint("subscriptions", __name__, url_prefix="/subscriptions")


@blueprint.after_request
def private(response):
    """These URLs carry a secret: not cached, not indexed, never sent on as a Referer."""
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
