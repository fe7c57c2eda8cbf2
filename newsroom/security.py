"""Security headers on every response, and no-store on staff pages and a commenter's own data.

A small ``after_request`` rather than Flask-Talisman: every header here is a constant string
(no nonce is needed, since no template carries inline script or style, so cached pages stay
byte-identical), HSTS follows NEWSROOM_SITE_URL, and ``no-store`` depends on the area of the
site. Talisman would have to be told not to redirect to HTTPS, not to rewrite the cookie flags
config.py already sets, and to skip its per-view options, which is more code than this module.
"""
from __future__ import annotations

import logging

from flask import Flask, Response, current_app, request, session

log = logging.getLogger(__name__)

#: No inline script or style anywhere: templates load static/js and static/css only.
#: Images may come from the outlets whose stories are republished (sanitised <img> over http(s)).
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' https: http: data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

#: Browser features the site never uses, denied to it and to anything it could embed.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope",
        "magnetometer", "microphone", "midi", "payment", "usb", "screen-wake-lock",
        "publickey-credentials-get", "xr-spatial-tracking",
    )
)

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": PERMISSIONS_POLICY,
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate CSP 2
}

HSTS = "max-age=31536000; includeSubDomains"

#: Staff areas: nothing they show may be kept by a browser or a shared cache.
STAFF_PATHS = ("/moderation", "/editor", "/login", "/logout", "/account", "/admin",
               "/invitations")


def init_app(app: Flask) -> None:
    app.after_request(secure_headers)
    if not app.config["SITE_URL"] and not (app.debug or app.testing):
        log.warning(
            "NEWSROOM_SITE_URL is not set: absolute URLs (canonical, share links, feeds) follow "
            "each request's Host header, limited to NEWSROOM_TRUSTED_HOSTS (%s); set "
            "NEWSROOM_SITE_URL=https://your.site in production",
            ", ".join(app.config["TRUSTED_HOSTS"] or ["any"]),
        )


def secure_headers(response: Response) -> Response:
    """Add the security headers; mark private answers ``no-store``."""
    headers = response.headers
    present = {name.lower() for name in headers.keys()}  # one pass, not one per header
    for name, value in HEADERS.items():
        if name.lower() not in present:
            headers.add(name, value)
    site_url = current_app.config["SITE_URL"] or ""
    if site_url.startswith("https://") and "strict-transport-security" not in present:
        headers.add("Strict-Transport-Security", HSTS)
    if is_private():
        response.cache_control.no_store = True
        response.cache_control.public = False
    return response


def is_private() -> bool:
    """Whether this answer belongs to one person: a staff page, a signed-in user, or a POST's.

    An answer to a POST that renders a page is a refused form re-showing what its sender typed
    (their name and email) — it must never be stored anywhere.
    """
    path = request.path
    if path.startswith("/media/") and request.method in ("GET", "HEAD"):
        return False  # uploaded images are public and never change at their URL
    if any(path == area or path.startswith(area + "/") for area in STAFF_PATHS):
        return True
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        return True
    # Only look in the session when there is one, so public answers gain no ``Vary: Cookie``.
    has_session = current_app.config["SESSION_COOKIE_NAME"] in request.cookies
    return has_session and bool(session.get("_user_id"))
