"""Old WordPress addresses of imported articles: a 301 to their page here.

``/?p=<id>`` is checked before the home page runs (no query unless ``p`` is there); any other
old permalink is looked up only when nothing else answered, just before the 404 page.
"""
from __future__ import annotations

from flask import Flask, redirect, request, url_for
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from newsroom.errors import render_error
from newsroom.extensions import db
from newsroom.inputs import has_controls
from newsroom.models import Article, LegacyRedirect, utcnow

#: Paths never looked up: they have 404s of their own.
NOT_LEGACY = ("/api/", "/static/")


def init_app(app: Flask) -> None:
    app.before_request(plain_permalink)
    app.register_error_handler(404, old_permalink_or_not_found)


def plain_permalink():
    """``/?p=42``, WordPress's plain link, answers 301 when post 42 was imported."""
    if request.path != "/" or "p" not in request.args:
        return None
    post_id = request.args["p"]
    return _redirect(f"/?p={int(post_id)}") if post_id.isdigit() else None


def old_permalink_or_not_found(error: NotFound):
    """An imported post's old permalink (with or without its trailing slash): 301, else 404."""
    path = request.path.rstrip("/")
    if request.method in ("GET", "HEAD") and path and not path.startswith(NOT_LEGACY):
        response = _redirect(path)
        if response is not None:
            return response
    return render_error(error)


def _redirect(path: str):
    """A 301 to the published article ``path`` belonged to, or None."""
    if len(path) > 1000 or has_controls(path):  # PostgreSQL refuses NUL in text
        return None
    article = db.session.execute(
        select(Article.slug, Article.published_at)
        .join(LegacyRedirect, LegacyRedirect.article_id == Article.id)
        .where(LegacyRedirect.path == path, Article.deleted_at.is_(None))
    ).first()
    if article is None or article.published_at is None or article.published_at > utcnow():
        return None
    return redirect(url_for("readers.article", slug=article.slug), 301)
