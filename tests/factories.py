"""Small builders for test data; each adds to the session and flushes, tests commit."""
from __future__ import annotations

from datetime import datetime, timedelta
from itertools import count

from newsroom.comments.records import thread_root
from newsroom.extensions import db
from newsroom.models import (
    Article,
    Comment,
    CommentStatus,
    Outlet,
    Role,
    Section,
    User,
    utcnow,
)
from newsroom.sanitizing import clean_article, clean_comment

_sequence = count(1)


def section(name: str | None = None, **fields) -> Section:
    n = next(_sequence)
    name = name or f"Section {n}"
    obj = Section(name=name, slug=fields.pop("slug", f"section-{n}"), **fields)
    return _save(obj)


def outlet(name: str | None = None, **fields) -> Outlet:
    n = next(_sequence)
    fields.setdefault("homepage_url", f"https://outlet-{n}.example/")
    obj = Outlet(name=name or f"Outlet {n}", slug=fields.pop("slug", f"outlet-{n}"), **fields)
    return _save(obj)


def article(headline: str | None = None, *, published: bool | datetime = True, **fields) -> Article:
    """A published article by default; ``published=False`` makes a draft."""
    n = next(_sequence)
    headline = headline or f"Story number {n}"
    if published is True:
        published_at = utcnow() - timedelta(hours=1)
    else:
        published_at = published or None
    fields.setdefault("body", "<p>Body text.</p>")
    fields["body"] = clean_article(fields["body"])
    obj = Article(
        headline=headline,
        slug=fields.pop("slug", f"story-number-{n}"),
        published_at=published_at,
        **fields,
    )
    return _save(obj)


def syndicated_article(outlet_: Outlet | None = None, **fields) -> Article:
    outlet_ = outlet_ or outlet()
    n = next(_sequence)
    fields.setdefault("original_url", f"{outlet_.homepage_url}stories/{n}")
    fields.setdefault("original_author", "Ada Quill")
    fields.setdefault("feed_guid", fields["original_url"])
    fields.setdefault("original_published_at", utcnow() - timedelta(days=1))
    return article(outlet=outlet_, **fields)


def comment(
    article_: Article,
    *,
    status: CommentStatus = CommentStatus.APPROVED,
    parent: Comment | None = None,
    body: str = "A thoughtful reply.",
    **fields,
) -> Comment:
    n = next(_sequence)
    fields.setdefault("author_name", f"Reader {n}")
    fields.setdefault("author_email", f"reader{n}@example.com")
    fields.setdefault("ip_address", "203.0.113.7")
    fields.setdefault("user_agent", "pytest")
    # strictly increasing within a test, and never in the future however many were made
    fields.setdefault("created_at", utcnow() - timedelta(minutes=30) + timedelta(milliseconds=n))
    obj = Comment(
        article=article_,
        parent=parent,
        thread_id=thread_root(parent) if parent else None,
        status=status,
        body=clean_comment(body),
        **fields,
    )
    return _save(obj)


def user(role: Role = Role.EDITOR, email: str | None = None, password: str = "correct horse battery", **fields) -> User:
    n = next(_sequence)
    obj = User(email=email or f"{role.value}{n}@newsroom.example", role=role, **fields)
    obj.set_password(password)
    return _save(obj)


def _save(obj):
    db.session.add(obj)
    db.session.flush()
    return obj
