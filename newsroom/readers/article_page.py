"""The article page as a reader sees it, rendered: the reader's views and the desk's preview.

Kept out of the view modules so the editors' preview renders the same page without importing
another package's views.
"""
from __future__ import annotations

from flask import current_app, render_template, request
from markupsafe import Markup

from newsroom import mail
from newsroom.comments.intake import form_token
from newsroom.content.articles import comments_open
from newsroom.content.picks import editors_picks
from newsroom.content.threads import add_own_pending, comment_threads
from newsroom.models import Article, utcnow
from newsroom.readers import own_comments
from newsroom.readers.forms import CommentForm
from newsroom.sharing import share_links
from newsroom.templating import absolute_url


def render_article(article: Article, template: str = "readers/article.html", **context):
    """The article page for ``article`` as a reader sees it (the desk's preview extends it)."""
    return render_page(article, CommentForm(formdata=None), template, **context)


def render_page(
    article: Article,
    form: CommentForm,
    template: str = "readers/article.html",
    served_at: str | None = None,
    **context,
):
    """The article page; ``form`` carries what the reader typed and any errors."""
    now = utcnow()
    threads = comment_threads(article, request.args.get("cpage", 1, type=int))
    add_own_pending(threads, own_comments.own_pending_comments(article),
                    int(current_app.config["COMMENT_MAX_DEPTH"]))
    # the signed note of when the form was served; "" on the shared page (fetched by the form)
    form.form_token.data = form_token(article) if served_at is None else served_at
    url = absolute_url("readers.article", slug=article.slug)
    replying_to = _find_node(threads.roots, form.parent_id.data) if form.parent_id.data else None
    if context.get("shared_form"):
        context["reply_fields"] = shared_reply_fields(form)
    return render_template(
        template,
        **context,
        article=article,
        threads=threads,
        picks=editors_picks(article) if threads.featured else [],
        form=form,
        comments_open=comments_open(article, now),
        share_links=share_links(url, article.headline),
        page_url=url,
        replying_to=replying_to,
    )


FIELDS = "_partials/reply_fields.html"
_SHARED_FIELDS = "newsroom.readers.shared_reply_fields"


def shared_reply_fields(form: CommentForm) -> Markup:
    """The shared page's reply form fields (``form``: the empty one without CSRF that
    readers/views.py's _render_shared makes), rendered once per app and reused.

    They are the same bytes for every article and reader: nobody's token, nothing typed, no
    one replied to. They depend on two settings alone, the key of the stored copy: whether
    CSRF is on (the empty ``csrf_token`` input reply.js fills) and whether notifications are
    offered. Rendered without ``article``, so a field that came to need it would fail rather
    than be shared; and every time while templates reload (development).
    """
    app = current_app._get_current_object()
    key = (app.config["WTF_CSRF_ENABLED"], mail.enabled())
    stored = app.extensions.get(_SHARED_FIELDS)
    if stored is None or stored[0] != key or app.jinja_env.auto_reload:
        html = render_template(FIELDS, form=form, shared_form=True, replying_to=None)
        # Bandit B704 judged safe: the autoescaped output of the template just rendered.
        stored = app.extensions[_SHARED_FIELDS] = (key, Markup(html))  # nosec B704
    return stored[1]


def _find_node(nodes, comment_id: str):
    """The shown comment a reply form answers, searched in the loaded threads."""
    for node in nodes:
        if str(node.comment.id) == comment_id:
            return node.comment
        found = _find_node(node.replies, comment_id)
        if found is not None:
            return found
    return None
