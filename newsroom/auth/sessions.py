"""What signing in or out (or accepting an invitation) does to the browser's session."""
from __future__ import annotations

from flask import current_app, g, session
from flask_wtf.csrf import generate_csrf


def new_csrf_secret() -> None:
    """Replace the session's CSRF secret, so a token seen before sign-in is no good after it."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    session.pop(field, None)
    g.pop(field, None)
    generate_csrf()
