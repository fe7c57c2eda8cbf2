"""An article's approved comments as threads, read through the public-columns allowlist."""
from __future__ import annotations

from functools import lru_cache

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import load_only

from newsroom.comments.records import shown_to_readers, thread_root
from newsroom.extensions import db
from newsroom.models import Article, Comment
from newsroom.pagination import Page, clamp


@dataclass
class CommentNode:
    """An approved comment with its replies, ready to render as a nested thread."""

    comment: Comment
    depth: int
    replies: list[CommentNode] = field(default_factory=list)
    pending: bool = False  #: the reader's own comment, awaiting moderation (shown to them alone)


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


@lru_cache(maxsize=1)
def public_comment():
    """What a public page may read of a comment; anything else (the email, IP, user agent) is
    not even loaded, and touching it raises.

    Built on first use: naming the columns configures every mapper, which is a good part of a
    second that ``flask --help`` and the other commands need not spend.
    """
    return load_only(
        Comment.id,
        Comment.article_id,
        Comment.parent_id,
        Comment.thread_id,
        Comment.status,
        Comment.author_name,
        Comment.author_website,
        Comment.body,
        Comment.created_at,
        Comment.is_staff,
        Comment.featured_at,
        raiseload=True,
    )


def comment_threads(article: Article, page: int) -> CommentThreads:
    """Load one page of approved threads in three queries, whatever their size.

    The first (the counts) also counts the editors' picks, so a page without any need not
    look for them.
    """
    per_page = int(current_app.config["COMMENTS_PER_PAGE"])
    max_depth = int(current_app.config["COMMENT_MAX_DEPTH"])
    approved = (Comment.article_id == article.id) & shown_to_readers()
    total, top_level, featured = db.session.execute(
        select(func.count(), func.count().filter(Comment.parent_id.is_(None)),
               func.count().filter(Comment.featured_at.is_not(None))).where(approved)
    ).one()
    page = clamp(page, per_page, top_level)
    roots = list(
        db.session.scalars(
            select(Comment)
            .options(public_comment())
            .where(approved, Comment.parent_id.is_(None))
            .order_by(Comment.created_at, Comment.id)
            .limit(per_page)
            .offset((page - 1) * per_page)
        )
    )
    replies = []
    if roots and total > top_level:
        replies = db.session.scalars(
            select(Comment)
            .options(public_comment())
            .where(approved, Comment.thread_id.in_([root.id for root in roots]))
            .order_by(Comment.created_at, Comment.id)
        )
    pager = Page(roots, page, per_page, top_level)
    return CommentThreads(_build_tree(roots, replies, max_depth), total, pager, featured)


def _build_tree(roots: list[Comment], replies, max_depth: int) -> list[CommentNode]:
    """Nest replies under their parents; replies past ``max_depth`` sit at the deepest level."""
    trees = [CommentNode(root, 1) for root in roots]
    #: comment id -> the node that shows that comment's replies
    holders = {node.comment.id: node for node in trees}
    for reply in replies:  # oldest first, so a parent is placed before its replies
        holder = holders.get(reply.parent_id)
        if holder is None:  # its parent is not approved: the reply is not shown either
            continue
        node = CommentNode(reply, holder.depth + 1)
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


def approved_counts(article_ids: list[int]) -> dict[int, int]:
    """Approved comments per article, for a list of story cards: one grouped query."""
    if not article_ids:
        return {}
    rows = db.session.execute(
        select(Comment.article_id, func.count())
        .where(Comment.article_id.in_(article_ids), shown_to_readers())
        .group_by(Comment.article_id)
    )
    return {article_id: count for article_id, count in rows}
