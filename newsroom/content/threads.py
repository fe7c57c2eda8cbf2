"""An article's approved comments as threads, read through the public-columns allowlist."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import load_only

from newsroom.extensions import db
from newsroom.models import Article, Comment, CommentStatus
from newsroom.pagination import Page, clamp


@dataclass
class CommentNode:
    """An approved comment with its replies, ready to render as a nested thread."""

    comment: Comment
    depth: int
    replies: list[CommentNode] = field(default_factory=list)


@dataclass
class CommentThreads:
    """One page of top-level comments with all their replies, and the counts around it."""

    roots: list[CommentNode]
    total: int  #: approved comments on the article, replies included
    pager: Page  #: the page of top-level comments shown

    @property
    def page(self) -> int:
        return self.pager.page

    @property
    def pages(self) -> int:
        return self.pager.pages


#: What a public page may read of a comment; anything else (the email, IP, user agent) is
#: not even loaded, and touching it raises.
PUBLIC_COMMENT = load_only(
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
    raiseload=True,
)


def comment_threads(article: Article, page: int) -> CommentThreads:
    """Load one page of approved threads in three queries, whatever their size."""
    per_page = int(current_app.config["COMMENTS_PER_PAGE"])
    max_depth = int(current_app.config["COMMENT_MAX_DEPTH"])
    approved = (Comment.article_id == article.id) & (Comment.status == CommentStatus.APPROVED)
    total, top_level = db.session.execute(
        select(func.count(), func.count().filter(Comment.parent_id.is_(None))).where(approved)
    ).one()
    page = clamp(page, per_page, top_level)
    roots = list(
        db.session.scalars(
            select(Comment)
            .options(PUBLIC_COMMENT)
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
            .options(PUBLIC_COMMENT)
            .where(approved, Comment.thread_id.in_([root.id for root in roots]))
            .order_by(Comment.created_at, Comment.id)
        )
    pager = Page(roots, page, per_page, top_level)
    return CommentThreads(_build_tree(roots, replies, max_depth), total, pager)


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
