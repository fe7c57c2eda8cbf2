"""Helpers for the moderation desk tests: a signed-in moderator and pending comments."""
from __future__ import annotations

import pytest

from newsroom.extensions import db
from newsroom.models import CommentStatus, Role


@pytest.fixture
def moderator(login_as):
    """The test client signed in as a moderator; returns the user."""
    return login_as(Role.MODERATOR, name="Morgan Desk")


@pytest.fixture
def pending(make):
    """``pending(article=None, **fields)``: a committed pending comment."""

    def build(article=None, **fields):
        comment = make.comment(article or make.article(), status=CommentStatus.PENDING, **fields)
        db.session.commit()
        return comment

    return build
