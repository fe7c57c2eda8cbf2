"""Which commenters skip the queue: proof of control, never an address typed into a form.

A browser that posts a comment gets a signed commenter cookie holding a random token. The
comment stores a keyed hash of that token (``browser_key``), never the token. When a moderator
approves a comment, the pair (its email, its browser key) becomes trusted: later comments sent
from the same browser with the same email are published at once. Someone who only types a
trusted address has no such cookie and waits like everybody else, and is told the same thing.

Mail confirmation (a mailed link opened in the browser) proves the same pair: call
:func:`trust_browser` with the address and :func:`browser_token` of that request.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets

from flask import current_app, request
from itsdangerous import BadSignature, Signer, URLSafeSerializer
from sqlalchemy import delete, select

from newsroom.extensions import db
from newsroom.models import Comment, TrustedCommenter

COOKIE = "newsroom_commenter"
MAX_AGE = 400 * 24 * 3600  # the longest lifetime browsers keep a cookie for
_SALT = "newsroom.commenter-token"  #: the older cookies: the token as signed JSON
_SIGNED_SALT = "newsroom.commenter-token.signed"  #: the token itself, signed
_ISSUED = "newsroom.commenter_token"  #: this request's new token, in the WSGI environ


def _signer() -> Signer:
    """Signs the token as it is: it is URL-safe already, so it needs no JSON, base64 or zlib."""
    return Signer(current_app.config["SECRET_KEY"], salt=_SIGNED_SALT)


def _serializer() -> URLSafeSerializer:
    """Reads the cookies browsers got before :func:`_signer` (they last up to 400 days)."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _token_of(raw: str) -> object:
    try:
        return _signer().unsign(raw).decode("ascii")
    except (BadSignature, UnicodeDecodeError):
        return _serializer().loads(raw)


def browser_token() -> str | None:
    """The token of this request's commenter cookie, if it carries a genuine one."""
    issued = request.environ.get(_ISSUED)
    raw = request.cookies.get(COOKIE)
    if not raw:
        return issued
    try:
        token = _token_of(raw)
    except BadSignature:
        return issued
    return token if isinstance(token, str) and token else issued


def ensure_browser_token() -> str:
    """This browser's token, issuing one (set on the response by :func:`set_cookie`) if needed."""
    token = browser_token()
    if token is None:
        token = request.environ.setdefault(_ISSUED, secrets.token_urlsafe(24))
    return token


def set_cookie(response):
    """Send the commenter cookie when this request issued a new token."""
    token = request.environ.get(_ISSUED)
    if token:
        config = current_app.config
        response.set_cookie(
            COOKIE, _signer().sign(token).decode("ascii"), max_age=MAX_AGE, httponly=True,
            samesite="Lax", secure=bool(config.get("SESSION_COOKIE_SECURE")),
        )
    return response


def browser_key(token: str | None) -> str:
    """The keyed hash stored for a token ("" for no token, which matches nothing)."""
    if not token:
        return ""
    secret = current_app.config["SECRET_KEY"]
    secret = secret.encode() if isinstance(secret, str) else secret
    return hmac.new(secret, f"commenter:{token}".encode(), hashlib.sha256).hexdigest()


def trust_browser(email: str, token: str, proof: str = "mail") -> None:
    """Trust ``email`` from the browser holding ``token`` (e.g. after a mailed link); no commit."""
    _trust(email, browser_key(token), proof)


def trust_approved(comment: Comment) -> None:
    """A moderator approved ``comment``: trust its email from the browser that sent it."""
    if comment.browser_key and not comment.is_staff:
        _trust(comment.author_email, comment.browser_key, "approval")


def _trust(email: str, key: str, proof: str) -> None:
    email = email.strip().lower()
    if not key or not email:
        return
    known = select(TrustedCommenter.id).where(
        TrustedCommenter.email == email, TrustedCommenter.browser_key == key
    )
    if db.session.scalar(known) is None:
        db.session.add(TrustedCommenter(email=email, browser_key=key, proof=proof))


def forget(email: str) -> int:
    """Drop every trusted pair of ``email`` (erasure); returns how many. No commit."""
    result = db.session.execute(
        delete(TrustedCommenter).where(TrustedCommenter.email == email.strip().lower())
    )
    return result.rowcount or 0
