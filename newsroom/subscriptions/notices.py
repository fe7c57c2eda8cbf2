"""The messages readers get: the confirmation, a reply to their comment, "your comment is out".

``queue_approval_mail`` listens to the comments package's ``comment_approved`` signal, sent
wherever a comment becomes approved (the moderation actions, the reply intake); it only queues
jobs, in the same transaction. The jobs send the mail.
"""
from __future__ import annotations

from markupsafe import Markup
from sqlalchemy import Select, select

from newsroom.comments.records import comment_approved
from newsroom.extensions import db
from newsroom.jobs import enqueue, handler
from newsroom.mail import enabled, site_url
from newsroom.mail.sending import Outgoing, postbox
from newsroom.models import Comment, CommentStatus, Subscriber, Subscription
from newsroom.subscriptions.service import SEND_CONFIRMATION

NOTIFY_REPLY, NOTIFY_PUBLISHED = "notify-reply", "notify-published"


@comment_approved.connect
def queue_approval_mail(comment: Comment, *, new: bool = False) -> None:
    """Queue the messages an approval causes: to whoever follows the parent, and to the author.

    ``new``: the comment was just posted, so nobody follows it yet (no query for a top-level one).
    """
    if not enabled():
        return
    ids = ([] if new else [comment.id]) + ([comment.parent_id] if comment.parent_id else [])
    if not ids:
        return
    followed = set(db.session.scalars(
        select(Subscription.comment_id).where(Subscription.comment_id.in_(ids),
                                              Subscription.ended_at.is_(None))
    ))
    if comment.parent_id is not None and comment.parent_id in followed:
        enqueue(NOTIFY_REPLY, {"comment_id": comment.id}, key=f"comment:{comment.id}")
    if comment.id in followed:
        enqueue(NOTIFY_PUBLISHED, {"comment_id": comment.id}, key=f"comment:{comment.id}")


def _mailed_followers(comment_id: int) -> Select:
    """(subscription, subscriber) for each follower of ``comment_id`` to mail: the subscription
    not ended, the address confirmed and not unsubscribed from everything."""
    return (
        select(Subscription, Subscriber)
        .join(Subscriber, Subscriber.id == Subscription.subscriber_id)
        .where(Subscription.comment_id == comment_id, Subscription.ended_at.is_(None),
               Subscriber.confirmed_at.is_not(None), Subscriber.unsubscribed_at.is_(None))
    )


def _links(subscriber: Subscriber, subscription: Subscription | None) -> dict:
    thread = subscription.token if subscription is not None else None
    return {
        "unsubscribe_thread_url": site_url("subscriptions.unsubscribe", token=thread)
        if thread else None,
        "unsubscribe_all_url": site_url("subscriptions.unsubscribe", token=subscriber.token),
    }


@handler(SEND_CONFIRMATION)
def send_confirmation(payload: dict) -> str:
    """The one message an address gets before its owner confirms."""
    subscriber = db.session.get(Subscriber, payload["subscriber_id"])
    if subscriber is None or subscriber.active:
        return "nothing to send: the address is gone or already confirmed"
    first = db.session.scalar(
        select(Comment).join(Subscription, Subscription.comment_id == Comment.id)
        .where(Subscription.subscriber_id == subscriber.id).order_by(Subscription.id.desc())
    )
    links = _links(subscriber, None)
    message = Outgoing(
        key=payload["mail_key"], kind="confirm", to=subscriber.email,
        subject="Please confirm: email me when someone replies",
        context={"confirm_url": site_url("subscriptions.show", token=subscriber.token),
                 "article": first.article if first else None, **links},
        unsubscribe_url=links["unsubscribe_all_url"],
    )
    with postbox() as post:
        return post.deliver(message)


@handler(NOTIFY_REPLY)
def notify_reply(payload: dict) -> str:
    """One message to each confirmed follower of the parent, except the reply's own author."""
    reply = db.session.get(Comment, payload["comment_id"])
    if reply is None or reply.status is not CommentStatus.APPROVED or reply.parent_id is None:
        return "nothing to send: the reply is no longer approved"
    rows = db.session.execute(_mailed_followers(reply.parent_id).order_by(Subscription.id)).all()
    author = reply.author_email.strip().lower()
    context = _reply_context(reply)
    messages = [
        Outgoing(
            key=f"reply:{reply.id}:{subscription.id}", kind="reply", to=subscriber.email,
            subject=f"{reply.author_name} replied to your comment on “{context['headline']}”",
            context={**context, **_links(subscriber, subscription)},
            unsubscribe_url=site_url("subscriptions.unsubscribe", token=subscription.token),
        )
        for subscription, subscriber in rows
        if subscriber.email != author  # one's own reply notifies nobody about it
    ]
    with postbox() as post:
        outcomes = [post.deliver(message) for message in messages]
    return f"{outcomes.count('sent')} sent, {len(outcomes)} recipient(s)"


def _reply_context(reply: Comment) -> dict:
    article = reply.article
    return {
        "headline": article.headline,
        "article_url": site_url("readers.article", slug=article.slug),
        "reply_url": site_url("readers.article", anchor=f"comment-{reply.id}", slug=article.slug),
        "reply_author": reply.author_name,
        # Bandit B704 judged safe: comment bodies are bleach-sanitised on the way in (the
        # comment allowlist); the text forms are made plain by striptags().
        "reply_html": Markup(reply.body),  # nosec B704
        "reply_text": Markup(reply.body).striptags(),  # nosec B704
        "parent_text": Markup(reply.parent.body).striptags()[:300],  # nosec B704
    }


@handler(NOTIFY_PUBLISHED)
def notify_published(payload: dict) -> str:
    """"Your comment is published", for a held comment's confirmed author who asked for mail."""
    comment = db.session.get(Comment, payload["comment_id"])
    if comment is None or comment.status is not CommentStatus.APPROVED:
        return "nothing to send: the comment is no longer approved"
    row = db.session.execute(_mailed_followers(comment.id)).first()
    if row is None:
        return "nothing to send: the author has not confirmed their address"
    subscription, subscriber = row
    article = comment.article
    message = Outgoing(
        key=f"published:{comment.id}", kind="published", to=subscriber.email,
        subject=f"Your comment on “{article.headline}” is published",
        context={"headline": article.headline,
                 "comment_url": site_url("readers.article", anchor=f"comment-{comment.id}",
                                         slug=article.slug),
                 # Bandit B704 judged safe: a sanitised body, made plain by striptags().
                 "comment_text": Markup(comment.body).striptags(),  # nosec B704
                 **_links(subscriber, subscription)},
        unsubscribe_url=site_url("subscriptions.unsubscribe", token=subscription.token),
    )
    with postbox() as post:
        return post.deliver(message)
