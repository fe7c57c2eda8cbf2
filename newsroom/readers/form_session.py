"""GET /session/form: the reply form's per-reader values, kept out of the shared page.

The article page an anonymous reader gets is the same bytes for everyone, so the app's page
cache, Redis and nginx can all serve it. The two values of the reply form that belong to one
reader — the CSRF token (tied to their session) and the signed note of when they started the
form (the too-fast trap's clock) — come from this small same-origin JSON answer instead, which
static/js/reply.js asks for when the reader first focuses the form (or at the latest on
submit) and writes into the form's hidden fields. It is never stored by anyone
(``private, no-store``) and names no one.

Without JavaScript the fields stay empty; the POST is then refused like any other without a
valid token, and its answer (the form again, with what was typed and fresh values in those
fields, never cached) posts with one more click. See newsroom/readers/views.py.
"""
from __future__ import annotations

from flask import current_app, jsonify, request
from flask_wtf.csrf import generate_csrf

from newsroom.comments.intake import form_token_for
from newsroom.inputs import ascii_int
from newsroom.readers.blueprint import blueprint


@blueprint.get("/session/form")
def session_form():
    """``{"csrf_token", "form_token"}`` for the reply form under article ``?article=<id>``."""
    article_id = ascii_int(request.args.get("article", ""), minimum=1)
    if article_id is None:
        response = jsonify(error={"status": 400, "code": "bad_request",
                                  "message": "Name the article: ?article=<id>."})
        response.status_code = 400
    else:
        csrf_on = current_app.config["WTF_CSRF_ENABLED"]
        response = jsonify(csrf_token=generate_csrf() if csrf_on else "",
                           form_token=form_token_for(article_id))
    response.headers["Cache-Control"] = "private, no-store"
    return response
