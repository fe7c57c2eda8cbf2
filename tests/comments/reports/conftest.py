"""Helpers for the reader-report tests: a story with an approved comment, readers who report."""
from __future__ import annotations

from itertools import count

import pytest

from newsroom.extensions import db
from newsroom.models import CommentReport

_addresses = count(10)


@pytest.fixture
def story(make):
    """A published story with one approved comment: ``(article, comment)``."""
    article = make.article("Footbridge over the mill race reopens", slug="mill-footbridge")
    comment = make.comment(article, author_name="Tamsin Vale", author_email="tamsin@example.org",
                           body="The new railings are far too low for children.")
    db.session.commit()
    return article, comment


def report_url(article, comment) -> str:
    return f"/articles/{article.slug}/comments/{comment.id}/report"


@pytest.fixture
def reader(app):
    """``reader()``: a new reader (own browser, own address); ``.report(...)`` posts a report."""

    class Reader:
        def __init__(self, address: str) -> None:
            self.client = app.test_client()
            self.address = address

        def get(self, url: str):
            return self.client.get(url, environ_base={"REMOTE_ADDR": self.address})

        def report(self, article, comment, reason="abuse", details="", email="", **extra):
            data = {"reason": reason, "details": details, "email": email, **extra}
            return self.client.post(report_url(article, comment), data=data,
                                    environ_base={"REMOTE_ADDR": self.address})

    return lambda address=None: Reader(address or f"198.51.100.{next(_addresses)}")


def reports_of(comment) -> list[CommentReport]:
    db.session.expire_all()
    return list(db.session.scalars(
        db.select(CommentReport).where(CommentReport.comment_id == comment.id)
        .order_by(CommentReport.id)))
