"""No imported commenter's email (WordPress or Disqus) reaches any public surface."""
from __future__ import annotations

import re

from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import Article, Comment, CommentStatus
from tests.distribution.test_privacy import forms_of, public_urls
from tests.importing.conftest import DISQUS, FIXTURES, LEAK_TOKEN


def test_no_imported_email_on_any_public_surface(app, imported, run_import):
    assert run_import("disqus", DISQUS).exit_code == 0
    comments = db.session.scalars(select(Comment)).all()
    emails = {comment.author_email for comment in comments if comment.author_email}
    assert len(emails) >= 12 and all(LEAK_TOKEN in email for email in emails)
    assert {c.status for c in comments} == set(CommentStatus)  # every status is there
    exported = (FIXTURES / "valley-ledger.wxr").read_text() + DISQUS.read_text()
    emails |= set(re.findall(r"[\w.+-]+@[\w-]+\.example", exported))  # staff too
    slugs = list(db.session.scalars(select(Article.slug)))
    urls = public_urls(slugs, [comment.id for comment in comments]) + [
        "/2020/10/15/harbour-wall-repaired/", "/?p=101", "/sections/harbour",
        "/sections/arts-culture", "/2019/03/01/a-story-that-never-moved/"]
    needles = set().union(*(forms_of(email) for email in emails)) | {LEAK_TOKEN}
    reader = app.test_client()
    for url in urls:
        response = reader.get(url)
        assert response.status_code in (200, 301, 302, 400, 404, 405), url
        text = response.get_data(as_text=True).lower() + str(response.headers).lower()
        for needle in needles:
            assert needle.lower() not in text, f"{needle!r} leaked at {url}"
    page = reader.get("/articles/harbour-wall-repaired").get_data(as_text=True)
    assert "Greta Lind" in page and "Ruth Ek" in page  # the search above looked at them
