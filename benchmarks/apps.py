"""WSGI apps the benchmarks serve with gunicorn (``benchmarks.apps:<name>``).

- ``hello``: a Flask hello world, the ceiling.
- ``newsroom``: the real app (``NEWSROOM_*`` from the environment).
- ``jinja_memory``: the real article template rendered from objects loaded once at start-up,
  i.e. the same page with no database work at all: the SPEC's "pure-Jinja render of the same
  page from memory". At ``/memory/<slug>`` every comment is rendered by its macro from the
  comment's fields, as a page without stored HTML renders it; at ``/memory-fragments/<slug>``
  the comments' stored fragments (newsroom/comments/fragments.py), loaded with them, are
  assembled instead, i.e. the real page's render with the database taken away.
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
        assembled = comment_threads(article, 1)
        rendered = comment_threads(article, 1)
        _without_fragments(rendered.roots)
        loaded = (article.section, article.outlet)  # noqa: F841  (load before detaching)
        db.session.expunge_all()

    @app.get("/memory/<slug>")
    def memory(slug: str):
        return page(slug, rendered)

    @app.get("/memory-fragments/<slug>")
    def memory_fragments(slug: str):
        return page(slug, assembled)

    def page(slug: str, threads):
        url = request.host_url.rstrip("/") + f"/articles/{slug}"
        # the shared page's form, as the real page renders it (readers.views._render_shared)
        form = CommentForm(formdata=None, meta={"csrf": False})
        form.form_token.data = ""
        return render_template(
            "readers/article.html",
            article=article,
            threads=threads,
            form=form,
            comments_open=comments_open(article, utcnow()),
            share_links=share_links(url, article.headline),
            page_url=url,
            replying_to=None,
            shared_form=True,
        )

    return app


def _without_fragments(nodes) -> None:
    for node in nodes:
        node.fragment = None
        _without_fragments(node.replies)


newsroom = None
jinja_memory = None
if os.environ.get("BENCH_APP") == "newsroom":
    newsroom = create_app()
elif os.environ.get("BENCH_APP") == "jinja_memory":
    jinja_memory = _memory_app()
