"""The comment policy: which new comments are held, which are spam, and why."""
from __future__ import annotations

from dataclasses import dataclass, field

from newsroom.models import CommentStatus

#: Reasons recorded on a comment, shown to moderators.
PRE_MODERATION = "pre-moderation"
HONEYPOT = "honeypot"
TOO_FAST = "too-fast"


@dataclass
class Submission:
    """What a reader sent, as the policy sees it."""

    article_id: int
    name: str
    email: str
    website: str
    body: str  #: sanitised HTML
    ip_address: str
    honeypot: str = ""
    #: Seconds between serving the form and receiving it; None when the token was missing.
    form_age: float | None = None


@dataclass
class Verdict:
    status: CommentStatus
    reasons: list[str] = field(default_factory=list)


def assess(submission: Submission, *, min_seconds: float) -> Verdict:
    """Decide a new comment's status; spam rules win over holding rules."""
    if submission.honeypot:
        return Verdict(CommentStatus.SPAM, [HONEYPOT])
    reasons = [PRE_MODERATION]
    if submission.form_age is None or submission.form_age < min_seconds:
        reasons.append(TOO_FAST)
    return Verdict(CommentStatus.PENDING, reasons)
