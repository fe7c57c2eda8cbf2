"""Outgoing mail through Flask-Mail: where it goes (SMTP, the development outbox, or nowhere).

With ``MAIL_SERVER`` set, messages go by SMTP. Without one, development and tests keep each
message in the admin "Outbox" (and log a line about it); production refuses to send
notifications at all and says so once when the app starts.
"""
from __future__ import annotations

import logging

from flask import Flask, current_app

log = logging.getLogger(__name__)

SMTP, OUTBOX, OFF = "smtp", "outbox", "off"
_MODE = "newsroom.mail.mode"


def init_app(app: Flask) -> None:
    """Decide where this app's messages go (Flask-Mail is bound when the first one is built)."""
    mode, reason = _mode(app)
    app.extensions[_MODE] = mode
    if mode == OFF:
        log.warning("email notifications are off: %s", reason)


def _mode(app: Flask) -> tuple[str, str]:
    config = app.config
    site = config["SITE_URL"] or ""
    if config["MAIL_SERVER"]:
        if not (app.debug or app.testing) and not site.startswith("https://"):
            return OFF, "NEWSROOM_SITE_URL must be an https:// address for links in messages"
        return SMTP, ""
    if app.debug or app.testing:
        return OUTBOX, ""
    return OFF, "NEWSROOM_MAIL_SERVER is not set"


def flask_mail_state():
    """Flask-Mail's settings for the current app, bound from its config on first use.

    Flask-Mail (and the ``email`` packages it loads) is imported here rather than at start-up,
    so commands that send nothing do not pay for it.
    """
    state = current_app.extensions.get("mail")
    if state is None:
        from flask_mail import Mail

        state = Mail().init_app(current_app)
    return state


def mode() -> str:
    """``"smtp"``, ``"outbox"`` or ``"off"`` for the current app."""
    return current_app.extensions[_MODE]


def enabled() -> bool:
    """Whether reader notifications may be offered and sent at all."""
    return mode() != OFF


#: Where links in messages point when NEWSROOM_SITE_URL is unset (development only).
DEVELOPMENT_SITE_URL = "http://127.0.0.1:5000"


def site_url(endpoint: str, anchor: str | None = None, **values) -> str:
    """An absolute URL on NEWSROOM_SITE_URL, built without a request (workers have none)."""
    base = current_app.config["SITE_URL"] or DEVELOPMENT_SITE_URL
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return base + path + (f"#{anchor}" if anchor else "")
