"""Editors' picks: moderators and editors feature approved comments above an article's thread.

A pick changes no status: it is recorded as a decision from "approved" to "featured" (and from
"featured" to "unfeatured" when it ends), by whom and why. A featured comment that leaves
"approved" stops being a pick (``actions.end_pick``, from ``set_status``). Featuring changes an
approved comment, so the article's comments version is raised by the session listener
(newsroom/content/versions.py): the page cache and ETags move on at once.
"""
from __future__ import annotations

from dataclasses import dataclass

from newsroom.comments.records import Decision, record_decision
from newsroom.models import Comment, CommentStatus, User, utcnow
from newsroom.moderation.actions import ModerationError, end_pick


@dataclass(frozen=True)
class PickAction:
    """A pick button on a queue row: its URL name, label, key, and whether it makes a pick."""

    action: str
    label: str
    key: str
    featured: bool  #: the state the button leads to; it shows on rows in the other state


#: The rows' pick buttons; only one shows at a time (both answer the key f); each POSTs to
#: ``/moderation/comments/<id>/<action>``.
PICK_ACTIONS = (
    PickAction("feature", "Feature", "f", True),
    PickAction("unfeature", "Unfeature", "f", False),
)


def feature(comment: Comment, moderator: User, reason: str = "") -> bool:
    """Make an approved comment an editors' pick (recorded); False if it already is one.

    :raises ModerationError: the comment is not approved (readers would not see it).
    """
    if comment.status is not CommentStatus.APPROVED:
        raise ModerationError(
            f"Only approved comments can be editors' picks: the comment by "
            f"{comment.author_name} is {comment.status.value}. Approve it first."
        )
    if comment.featured_at is not None:
        return False
    record_decision(comment, comment.status, Decision.FEATURED, reason, moderator)
    comment.featured_at = utcnow()
    comment.featured_by = moderator
    return True


def unfeature(comment: Comment, moderator: User, reason: str = "") -> bool:
    """Take a comment out of the editors' picks (recorded); False if it was not one."""
    return end_pick(comment, moderator, reason)
