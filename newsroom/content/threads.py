"""An article's approved comments as threads, read through the public-columns allowlist."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from flask import current_app
from markupsafe import Markup
from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import load_only

from newsroom.comments.fragments import fragment_version, stored_fragment
from newsroom.comments.records import shown_to_readers
from newsroom.extensions import db
from newsroom.models import Article, Comment
from newsroom.pagination import Page, clamp


@dataclass
class CommentNode:
    """An approved comment with its replies, ready to render as a nested thread."""

    #: A row of the thread's public columns (see comment_threads), or the reader's own
    #: pending Comment
    comment: Comment | Row
    depth: int
    replies: list[CommentNode] = field(default_factory=list)
    pending: bool = False  #: the reader's own comment, awaiting moderation (shown to them alone)
    #: The comment's stored HTML (newsroom/comments/fragments.py); None: the macro renders it.
    fragment: Markup | None = None


@dataclass
class CommentThreads:
    """One page of top-level comments with all their replies, and the counts around it."""

    roots: list[CommentNode]
    total: int  #: approved comments on the article, replies included
    pager: Page  #: the page of top-level comments shown
    featured: int = 0  #: approved comments that are editors' picks (content.picks loads them)

    @property
    def page(self) -> int:
        return self.pager.page

    @property
    def pages(self) -> int:
        return self.pager.pages


#: What a public page may read of a comment; anything else (the email, IP, user agent) is
#: not even loaded.
PUBLIC_COLUMNS = ("id", "article_id", "parent_id", "thread_id", "status", "author_name",
                  "author_website", "body", "created_at", "is_staff", "featured_at")


@lru_cache(maxsize=1)
def public_comment():
    """:data:`PUBLIC_COLUMNS` as a loader option for Comment objects: touching anything else
    raises.

    Built on first use: naming the columns configures every mapper, which is a good part of a
    second that ``flask --help`` and the other commands need not spend.
    """
    return load_only(*(getattr(Comment, name) for name in PUBLIC_COLUMNS), raiseload=True)


@lru_cache(maxsize=1)
def _thread_statements():
    """A page's top-level comments (``ix_comments_article_roots``, a deep page's offset skipped
    in the index) and their threads' replies (``ix_comments_thread_shown``); built once with
    bound parameters, since building them cost more than running them."""
    columns = _thread_columns()
    page_roots = (
        select(*columns)
        .where(Comment.article_id == bindparam("article_id"), shown_to_readers(),
               Comment.parent_id.is_(None))
        .order_by(Comment.created_at, Comment.id)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    their_replies = select(*columns).where(
        shown_to_readers(), Comment.thread_id.in_(bindparam("roots", expanding=True)))
    return page_roots, their_replies


@lru_cache(maxsize=1)
def _thread_columns():
    """:data:`PUBLIC_COLUMNS` and the stored fragment, selected as plain rows for a page's
    threads: a row has no attribute for anything else, and costs a fraction of an object."""
    names = (*PUBLIC_COLUMNS, "rendered_html", "rendered_version")
    return [getattr(Comment, name) for name in names]


def comment_threads(article: Article, page: int) -> CommentThreads:
    """Load one page of approved threads in at most two queries, whatever their size.

    The counts are the article's own (``shown_*``, kept by newsroom/content/versions.py), so a
    page reads no aggregate and no comment beyond the threads it shows: the page's top-level
    comments by ``ix_comments_article_roots`` (a deep page's offset is skipped in the index),
    then their replies by ``ix_comments_thread_shown``, each as a row of the public columns
    and the stored fragment (no ORM object: at a page's 200 comments the objects cost more
    than the queries).
    """
    per_page = int(current_app.config["COMMENTS_PER_PAGE"])
    max_depth = int(current_app.config["COMMENT_MAX_DEPTH"])
    total, top_level = article.shown_comments, article.shown_threads
    page = clamp(page, per_page, top_level)
    page_roots, their_replies = _thread_statements()
    connection = db.session.connection()  # Core rows: the ORM's execution path costs more
    roots = connection.execute(page_roots, {
        "article_id": article.id, "limit": per_page, "offset": (page - 1) * per_page,
    }).all() if top_level else []
    replies = []
    if roots and total > top_level:
        # in SQL's own order, SQLite would walk every comment of the article by date instead
        # of ix_comments_thread_shown, so they are put in order here
        replies = sorted(connection.execute(their_replies, {"roots": [root.id for root in roots]}),
                         key=lambda reply: (reply.created_at, reply.id))
    pager = Page(roots, page, per_page, top_level)
    tree = _build_tree(roots, replies, max_depth, fragment_version())
    return CommentThreads(tree, total, pager, article.shown_picks)


def _build_tree(roots: list[Row], replies: list[Row], max_depth: int, version: str) -> list[CommentNode]:
    """Nest replies under their parents; replies past ``max_depth`` sit at the deepest level.

    Each node carries its comment's stored fragment when it is of ``version``."""
    trees = [CommentNode(root, 1, fragment=stored_fragment(root, version)) for root in roots]
    #: comment id -> the node that shows that comment's replies
    holders = {node.comment.id: node for node in trees}
    for reply in replies:  # oldest first, so a parent is placed before its replies
        holder = holders.get(reply.parent_id)
        if holder is None:  # its parent is not approved: the reply is not shown either
            continue
        node = CommentNode(reply, holder.depth + 1, fragment=stored_fragment(reply, version))
        holder.replies.append(node)
        holders[reply.id] = node if node.depth < max_depth else holder
    return trees


def add_own_pending(threads: CommentThreads, comments: list[Comment], max_depth: int) -> None:
    """Place the reader's own pending ``comments`` where they will appear once approved.

    A reply goes under its parent when that parent is shown; a new comment goes at the end of
    the last page. Anything else is left out, as it would be for an approved comment.
    """
    holders: dict[int, CommentNode] = {}  #: as in _build_tree: who shows a comment's replies
    stack: list[tuple[CommentNode, CommentNode | None]] = [(root, None) for root in threads.roots]
    while stack:
        node, parent = stack.pop()
        holders[node.comment.id] = node if node.depth < max_depth or parent is None else parent
        stack.extend((reply, holders[node.comment.id]) for reply in node.replies)
    for comment in comments:
        if comment.parent_id is None:
            if threads.page == threads.pages:
                threads.roots.append(CommentNode(comment, 1, pending=True))
            continue
        holder = holders.get(comment.parent_id)
        if holder is not None:
            node = CommentNode(comment, holder.depth + 1, pending=True)
            holder.replies.append(node)
            holders[comment.id] = node if node.depth < max_depth else holder

