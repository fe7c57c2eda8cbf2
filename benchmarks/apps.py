"""WSGI apps the benchmarks serve with gunicorn (``benchmarks.apps:<name>``).

- ``hello``: a Flask hello world, the ceiling.
- ``newsroom``: the real app (``NEWSROOM_*`` from the environment).
- ``jinja_memory``: the real article template rendered from objects loaded once at start-up,
  i.e. the same page with no database work at all.
"""
from __future__ import annotations

import os

from flask import Flask, render_template, request

from newsroom import create_app

hello = Flask("hello")


@hello.get("/")
def hello_world():
    return "Hello, World!"


def _memory_app() -> Flask:
    from newsroom.comments.intake import form_token
    from newsroom.content.articles import comments_open, published_article
    from newsroom.content.threads import comment_threads
    from newsroom.extensions import db
    from newsroom.models import utcnow
    from newsroom.readers.forms import CommentForm
    from newsroom.sharing import share_links

    app = create_app()
    slug = os.environ["BENCH_ARTICLE_SLUG"]
    with app.test_request_context(f"/articles/{slug}"):
        app.preprocess_request()
        article = published_article(slug, utcnow())
        threads = comment_threads(article, 1)
        loaded = (article.section, article.outlet)  # noqa: F841  (load before detaching)
        db.session.expunge_all()

    @app.get("/memory/<slug>")
    def memory(slug: str):
        url = request.host_url.rstrip("/") + f"/articles/{slug}"
        form = CommentForm(formdata=None)
        form.form_token.data = form_token(article)
        return render_template(
            "readers/article.html",
            article=article,
            threads=threads,
            form=form,
            comments_open=comments_open(article, utcnow()),
            share_links=share_links(url, article.headline),
            page_url=url,
            replying_to=None,
        )

    return app


newsroom = None
jinja_memory = None
if os.environ.get("BENCH_APP") == "newsroom":
    newsroom = create_app()
elif os.environ.get("BENCH_APP") == "jinja_memory":
    jinja_memory = _memory_app()
