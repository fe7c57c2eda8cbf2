"""Subscribing, confirming and unsubscribing; proof that a reader controls an address."""
from __future__ import annotations

import secrets
from datetime import timedelta

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from newsroom.extensions import db
from newsroom.jobs import enqueue
from newsroom.mail import enabled
from newsroom.models import Comment, CommentStatus, Subscriber, Subscription, utcnow
from newsroom.comments.identity import email_digest

SEND_CONFIRMATION = "send-confirmation"
PROOF_COOKIE = "newsroom_proof"
_PROOF_SALT = "newsroom.address-proof"
TOKEN_MAX = 64


def new_token() -> str:
    return secrets.token_urlsafe(32)


def ask_for_replies(comment: Comment) -> bool:
    """Follow replies to ``comment`` for its author; True when a confirmation is on its way.

    Nothing is sent to the address but that one confirmation until its owner confirms.
    The caller commits.
    """
    if not enabled() or comment.status not in (CommentStatus.PENDING, CommentStatus.APPROVED):
        return False
    subscriber = _subscriber(comment.author_email.strip().lower())
    db.session.add(Subscription(subscriber=subscriber, comment=comment, token=new_token()))
    if subscriber.active or not _may_ask(subscriber):
        db.session.flush()
        return False
    subscriber.confirmation_sent_at = utcnow()
    db.session.flush()
    stamp = int(subscriber.confirmation_sent_at.timestamp())
    enqueue(SEND_CONFIRMATION, {"subscriber_id": subscriber.id,
                                "mail_key": f"confirm:{subscriber.id}:{stamp}"})
    return True


def subscriber_for(email: str) -> Subscriber:
    """The address's subscriber row (created, unconfirmed, if new): its token is the address's
    "stop all emails" link, so every message to a reader carries one."""
    return _subscriber(email.strip().lower())


def _subscriber(email: str) -> Subscriber:
    """The address's subscriber row, created if new (a concurrent first ask is no error)."""
    found = db.session.scalar(select(Subscriber).where(Subscriber.email == email))
    if found is not None:
        return found
    try:
        with db.session.begin_nested():
            found = Subscriber(email=email, token=new_token())
            db.session.add(found)
    except IntegrityError:  # another request added the same address a moment ago
        found = db.session.scalar(select(Subscriber).where(Subscriber.email == email))
    return found


def _may_ask(subscriber: Subscriber) -> bool:
    """The first time, or again after SUBSCRIPTION_CONFIRM_RESEND_DAYS without an answer."""
    if subscriber.confirmation_sent_at is None:
        return True
    days = int(current_app.config["SUBSCRIPTION_CONFIRM_RESEND_DAYS"])
    return subscriber.confirmation_sent_at <= utcnow() - timedelta(days=days)


def lookup(token: str) -> tuple[Subscriber, Subscription | None] | None:
    """The subscriber a token belongs to, with the one subscription when it is a thread's token."""
    if not token or len(token) > TOKEN_MAX:
        return None
    subscription = db.session.scalar(select(Subscription).where(Subscription.token == token))
    if subscription is not None:
        return subscription.subscriber, subscription
    subscriber = db.session.scalar(select(Subscriber).where(Subscriber.token == token))
    return (subscriber, None) if subscriber is not None else None


def followed_comments(subscriber: Subscriber) -> list[Comment]:
    """The comments whose replies this address asked for and still gets (or will once confirmed)."""
    return list(db.session.scalars(
        select(Comment)
        .join(Subscription, Subscription.comment_id == Comment.id)
        .where(Subscription.subscriber_id == subscriber.id, Subscription.ended_at.is_(None),
               or_(Comment.status == CommentStatus.APPROVED,
                   Comment.status == CommentStatus.PENDING))
        .order_by(Comment.created_at)
    ))


def confirm(subscriber: Subscriber) -> None:
    """The owner confirmed: replies are sent from now on; the caller commits."""
    subscriber.confirmed_at = utcnow()
    subscriber.unsubscribed_at = None


def unsubscribe(subscriber: Subscriber, subscription: Subscription | None) -> None:
    """Stop one thread (a thread's token) or everything (the address's token); caller commits."""
    now = utcnow()
    if subscription is not None:
        subscription.ended_at = subscription.ended_at or now
    else:
        subscriber.unsubscribed_at = subscriber.unsubscribed_at or now


def confirmed(email: str) -> bool:
    """Whether the owner of ``email`` proved they control it by confirming a subscription."""
    return db.session.scalar(
        select(Subscriber.id).where(Subscriber.email == email.strip().lower(),
                                    Subscriber.confirmed_at.is_not(None))
    ) is not None


def _proof_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_PROOF_SALT)


def proof_cookie(subscriber: Subscriber) -> str:
    """The signed value for the confirming browser: the address's keyed hash, not the address."""
    return _proof_serializer().dumps(email_digest(subscriber.email))


def browser_proves(email: str) -> bool:
    """Whether this request's browser confirmed ``email`` (and it is still confirmed)."""
    value = request.cookies.get(PROOF_COOKIE)
    if not value:
        return False
    try:
        digest = _proof_serializer().loads(value)
    except BadSignature:
        return False
    return secrets.compare_digest(str(digest), email_digest(email)) and confirmed(email)
