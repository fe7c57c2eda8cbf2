"""Helpers for the comment-policy tests: a reply POST with a valid form token."""
from __future__ import annotations

import secrets

import pytest
from sqlalchemy import select

from newsroom import trust
from newsroom.comments.intake import form_token
from newsroom.extensions import db
from newsroom.models import Comment

REPLY = {
    "name": "Tamsin Orrell",
    "email": "tamsin.orrell@example.org",
    "website": "",
    "body": "The ferry timetable changes on Monday; worth checking before you travel.",
}


@pytest.fixture
def reply(client):
    """``reply(article, **fields)`` posts a reply as a reader would, with a fresh form token.

    A field given as None is left out of the request.
    """

    def post(article, *, via=None, **fields):
        data = {**REPLY, "form_token": form_token(article), **fields}
        data = {key: value for key, value in data.items() if value is not None}  # None: not sent
        return (via or client).post(f"/articles/{article.slug}/comments", data=data)

    post.client = client
    return post


def trust_browser_of(client, email: str) -> None:
    """Give ``client`` a commenter cookie and trust ``email`` from it, as an approval would."""
    token = secrets.token_urlsafe(24)
    client.set_cookie(trust.COOKIE, trust._serializer().dumps(token))
    trust.trust_browser(email, token, proof="approval")
    db.session.commit()


def comments() -> list[Comment]:
    """Every stored comment, oldest first (after ending the session's stale view)."""
    db.session.expire_all()
    return list(db.session.scalars(select(Comment).order_by(Comment.id)))
