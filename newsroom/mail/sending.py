"""Building a message from its templates and sending it at most once (the sent-marker)."""
from __future__ import annotations

import logging
import smtplib
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from email.utils import make_msgid
from functools import cache
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from flask import current_app, render_template
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from newsroom.extensions import db
from newsroom.mail import OUTBOX, SMTP, flask_mail_state, mode
from newsroom.models import MailRecord, MailStatus, utcnow
from newsroom.comments.identity import email_digest

if TYPE_CHECKING:  # Flask-Mail loads with the first message built, not at start-up
    from flask_mail import Connection, Message

log = logging.getLogger(__name__)

#: What ``deliver`` did with a message.
SENT, ALREADY_SENT, CAPPED, KEPT = "sent", "already sent", "capped", "kept in the outbox"


@dataclass
class Outgoing:
    """One message to one address: ``key`` names it so it is never sent twice."""

    key: str
    kind: str  #: the template name under templates/mail/
    to: str
    subject: str
    context: dict
    #: The https one-click unsubscribe URL (RFC 8058); every reader-facing message has one.
    unsubscribe_url: str | None = None


def render(message: Outgoing) -> Message:
    """The Flask-Mail message: plain text and HTML from templates, unsubscribe headers."""
    context = {**message.context, "unsubscribe_url": message.unsubscribe_url,
               "site_name": current_app.config["SITE_NAME"]}
    headers = {}
    if message.unsubscribe_url:
        headers["List-Unsubscribe"] = f"<{message.unsubscribe_url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    flask_mail_state()  # Message reads its default sender from it
    from flask_mail import Message

    built = Message(
        subject=message.subject,
        recipients=[message.to],  # one recipient, never anyone else's address
        body=render_template(f"mail/{message.kind}.txt", **context),
        html=render_template(f"mail/{message.kind}.html", **context),
        extra_headers=headers,
    )
    host = urlsplit(current_app.config["SITE_URL"] or "").hostname or "localhost"
    built.msgId = make_msgid(idstring=message.key.replace(":", "."), domain=host)
    return built


@cache
def _timed_connection() -> type[Connection]:
    """Flask-Mail's connection with a socket timeout (MAIL_TIMEOUT), so a stuck server fails."""
    from flask_mail import Connection

    class _TimedConnection(Connection):
        def configure_host(self):
            timeout = float(current_app.config["MAIL_TIMEOUT"])
            smtp_class = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
            host = smtp_class(self.mail.server, self.mail.port, timeout=timeout)
            if self.mail.use_tls:
                host.starttls()
            if self.mail.username and self.mail.password:
                host.login(self.mail.username, self.mail.password)
            return host

    return _TimedConnection


class Postbox:
    """Sends messages over one SMTP connection, opened when the first one needs it."""

    def __init__(self) -> None:
        self._connection: Connection | None = None

    def deliver(self, message: Outgoing) -> str:
        """Send ``message`` unless its key was sent already or the recipient reached the cap.

        Two commits around the SMTP conversation: "sending" before, "sent" after. A retry that
        finds "sent" skips; one that finds "sending" (the worker died mid-send) sends again.
        """
        record = db.session.scalar(select(MailRecord).where(MailRecord.key == message.key))
        if record is not None and record.status is not MailStatus.SENDING:
            return ALREADY_SENT
        digest = email_digest(message.to)
        if record is None:
            record = self._claim(message, digest)
            if record is None:
                return ALREADY_SENT
            if record.status is MailStatus.CAPPED:
                return CAPPED
        built = render(message)
        if mode() == OUTBOX:
            return self._keep(record, message, built)
        if mode() != SMTP:
            raise RuntimeError("mail is off: NEWSROOM_MAIL_SERVER is not set")
        self._connect().send(built)
        record.status, record.sent_at = MailStatus.SENT, utcnow()
        db.session.commit()
        log.info("mail %s (%s) sent", message.key, message.kind)
        return SENT

    def _claim(self, message: Outgoing, digest: str) -> MailRecord | None:
        status = MailStatus.CAPPED if _over_cap(digest) else MailStatus.SENDING
        record = MailRecord(key=message.key, kind=message.kind, recipient_hmac=digest,
                            status=status)
        db.session.add(record)
        try:
            db.session.commit()
        except IntegrityError:  # another worker has it
            db.session.rollback()
            return None
        if status is MailStatus.CAPPED:
            log.info("mail %s (%s) not sent: the recipient reached today's cap",
                     message.key, message.kind)
        return record

    def _keep(self, record: MailRecord, message: Outgoing, built: Message) -> str:
        """Development without a server: the message goes to the admin outbox, a line to the log."""
        record.status, record.sent_at = MailStatus.OUTBOX, utcnow()
        record.recipient, record.subject, record.text_body = message.to, built.subject, built.body
        db.session.commit()
        log.info("mail %s (%s) kept in the outbox (no mail server): %s",
                 message.key, message.kind, built.subject)
        return KEPT

    def _connect(self) -> Connection:
        if self._connection is None:
            connection = _timed_connection()(flask_mail_state())
            connection.__enter__()
            self._connection = connection
        return self._connection

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.__exit__(None, None, None)
            except smtplib.SMTPException:
                pass
            self._connection = None


@contextmanager
def postbox():
    """``with postbox() as post: post.deliver(message)``; the connection closes afterwards."""
    box = Postbox()
    try:
        yield box
    finally:
        box.close()


def _over_cap(digest: str) -> bool:
    cap = int(current_app.config["MAIL_MAX_PER_RECIPIENT_PER_DAY"])
    since = utcnow() - timedelta(days=1)
    sent = db.session.scalar(
        select(func.count()).select_from(MailRecord).where(
            MailRecord.recipient_hmac == digest,
            MailRecord.created_at >= since,
            MailRecord.status.in_((MailStatus.SENT, MailStatus.OUTBOX, MailStatus.SENDING)),
        )
    )
    return sent >= cap
