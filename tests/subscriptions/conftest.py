"""Helpers for the reply-notification tests: readers posting through the real form, a desk."""
from __future__ import annotations

import re
from itertools import count

import pytest
from sqlalchemy import select

from newsroom.comments.intake import form_token
from newsroom.extensions import db
from newsroom.models import Comment, Role
from tests.helpers import run_due_jobs, sign_in_session

_bodies = count(1)
TOKEN_LINK = re.compile(r"/subscriptions/([A-Za-z0-9_-]{20,})(/unsubscribe)?")


@pytest.fixture
def app(mail_app):
    """Here every app sends through the test's real SMTP server."""
    return mail_app


@pytest.fixture
def article(mail_app, make):
    story = make.article("Lifeboat station gets a new slipway", slug="lifeboat-slipway")
    db.session.commit()
    return story


@pytest.fixture
def post_comment(mail_app):
    """``post_comment(article, email, parent=None, notify=True)`` as a fresh reader; the comment."""

    def post(article, email, *, parent=None, notify=True, name="Reader", body=None, client=None):
        client = client or mail_app.test_client()
        data = {"name": name, "email": email, "website": "", "form_token": form_token(article),
                "body": body or f"Comment number {next(_bodies)} from {name}.",
                "parent_id": str(parent.id) if parent else ""}
        if notify:
            data["notify"] = "y"
        response = client.post(f"/articles/{article.slug}/comments", data=data)
        assert response.status_code in (302, 303), response.text
        return db.session.scalars(select(Comment).order_by(Comment.id.desc())).first()

    return post


@pytest.fixture
def desk(mail_app, make):
    """``desk(comment, "approve")``: a moderator's POST from the real moderation desk."""
    moderator = make.user(Role.MODERATOR)
    db.session.commit()
    client = mail_app.test_client()
    sign_in_session(client, moderator.get_id())

    def act(comment, action="approve"):
        response = client.post(f"/moderation/comments/{comment.id}/{action}")
        assert response.status_code in (302, 303), response.text
        db.session.expire_all()

    return act


@pytest.fixture
def work(mail_app):
    """Run the due jobs as ``flask worker --burst`` does."""
    return lambda: run_due_jobs(mail_app)


def link_tokens(text: str) -> list[tuple[str, bool]]:
    """The subscription tokens linked from a message: (token, is_unsubscribe)."""
    return [(token, bool(unsub)) for token, unsub in TOKEN_LINK.findall(text)]


def confirm_link(text: str) -> str:
    return next(token for token, unsub in link_tokens(text) if not unsub)
