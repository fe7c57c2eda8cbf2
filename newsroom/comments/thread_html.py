"""A page's approved comments as nested lists: a reply's element sits inside its parent's.

What every reader sees of a comment (author, badges, date, body) is its stored fragment
(``node.fragment``, newsroom/comments/fragments.py) or, for a comment with none of the current
version and for the reader's own pending comment (``node.pending``, shown to them alone), the
output of the same ``comment_content`` macro rendered now, so the two cannot differ. Only the
nesting, the depth class and the reply and report links are added per page, here rather than
in a macro called once per comment: at a page's 100 to 200 comments, the macro calls and their
dozen escapes each were a third of the article template's time.

Everything that is not already markup is escaped, the author's name once per comment and the
two link prefixes once per thread; ids and depths are integers (``:d`` refuses anything else).
Never the email: the nodes carry the public columns only.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from newsroom.comments.fragments import comment_content

if TYPE_CHECKING:
    from newsroom.content.threads import CommentNode


def comment_thread(node: CommentNode, reply_url: str | None = None,
                   comments_url: str | None = None) -> Markup:
    """One top-level comment and all its replies, as ``<li>`` elements.

    :param reply_url: the page's URL up to the replied-to comment's id (``…?replyto=``); each
        comment's reply link is it, the id and ``#respond``. None: no reply links.
    :param comments_url: the article's comments (SPEC's POST /articles/<slug>/comments); each
        report link is ``<comments_url>/<id>/report``. None: no report links (comments closed,
        a preview).
    """
    html: list[str] = []
    _add(node, escape(reply_url) if reply_url else None,
         escape(comments_url) if comments_url else None, html)
    # Bandit B704 judged safe: fragments and the macro's output are autoescaped markup, and
    # every other value in here was escaped (or is an integer).
    return Markup("".join(html))  # nosec B704


def _add(node: CommentNode, reply: Markup | None, report: Markup | None, html: list[str]) -> None:
    """``node``'s element, its replies' inside it, appended to ``html``. Each column is read
    once: an attribute of a thread's row is a lookup by name."""
    comment, pending = node.comment, node.pending
    comment_id = comment.id
    picked = comment.featured_at is not None and not pending
    classes = (" comment-staff" if comment.is_staff else "") + (
        " comment-picked" if picked else "") + (" comment-pending" if pending else "")
    focus = ' tabindex="-1"' if pending else ""  # the reader is sent to their own comment
    html.append(f'<li class="comment depth-{node.depth:d}{classes}" id="comment-{comment_id:d}"'
                f'{focus}>\n  <article>\n    ')
    html.append(node.fragment or comment_content(comment, picked, pending))
    html.append("\n")
    if not pending:  # nobody replies to, or reports, a comment that is not public yet
        name = escape(comment.author_name)
        if reply is not None:
            html.append(f'    <a class="reply-link" href="{reply}{comment_id:d}#respond" '
                        f'data-parent-id="{comment_id:d}" data-author="{name}">'
                        f'Reply to {name}</a>\n')
        if report is not None:
            html.append(f'    <a class="report-link" href="{report}/{comment_id:d}/report" '
                        f'rel="nofollow">Report<span class="visually-hidden"> the comment by '
                        f'{name}</span></a>\n')
    html.append("  </article>\n")
    if node.replies:
        html.append('  <ol class="comment-replies">\n')
        for reply_node in node.replies:
            _add(reply_node, reply, report, html)
        html.append("  </ol>\n")
    html.append("</li>")
