"""Background jobs as data (the outbox huey is fed from) and the record of every message sent."""
from __future__ import annotations

import enum
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from newsroom.models.base import Base, UTCDateTime, str_enum, utcnow


class JobStatus(enum.StrEnum):
    """Where a job stands: PENDING waits for ``run_after``, FAILED gave up after its retries."""

    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(Base):
    """One piece of background work, written in the transaction that asks for it.

    The row is the truth; huey only carries its id. A job is pushed to huey after its
    transaction commits, and the periodic sweep pushes again any due job nobody picked up.
    """

    __tablename__ = "jobs"
    __table_args__ = (
        #: The sweep and the worker: due jobs of one status, oldest first.
        Index("ix_jobs_status_run_after", "status", "run_after"),
        #: "The latest fetch job of outlet 5" on the desk.
        Index("ix_jobs_key_created", "key", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The handler's name, e.g. "fetch-outlet" (see newsroom/tasks.py).
    name: Mapped[str] = mapped_column(String(40))
    #: What the job is about, e.g. "outlet:5", so pages can show its state.
    key: Mapped[Optional[str]] = mapped_column(String(100))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[JobStatus] = mapped_column(
        str_enum(JobStatus, "job_status"), default=JobStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Not before this time (the first run, or the next retry after a failure).
    run_after: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    finished_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: A line about what the job did, shown on the desk and the admin page.
    result: Mapped[Optional[str]] = mapped_column(Text)
    #: The last failure's exception, for the admin page.
    error: Mapped[Optional[str]] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"<Job {self.id} {self.name} {self.status.value}>"


class MailStatus(enum.StrEnum):
    """SENDING is set before the SMTP conversation and SENT after it, in two commits."""

    SENDING = "sending"
    SENT = "sent"
    OUTBOX = "outbox"  #: development without a mail server: kept here instead of sent
    CAPPED = "capped"  #: not sent: the recipient had reached the daily cap


class MailRecord(Base):
    """The sent-marker of one message: its key is unique, so a retried job never sends twice."""

    __tablename__ = "mail_records"
    __table_args__ = (
        #: The per-recipient daily cap.
        Index("ix_mail_records_recipient_created", "recipient_hmac", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What the message is, e.g. "reply:41:7" (reply 41 to subscription 7).
    key: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    #: A keyed hash of the address (newsroom.privacy.email_digest), never the address itself.
    recipient_hmac: Mapped[str] = mapped_column(String(64))
    status: Mapped[MailStatus] = mapped_column(str_enum(MailStatus, "mail_status"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    sent_at: Mapped[Optional[datetime]] = mapped_column(UTCDateTime)
    #: Outbox messages only (development): the whole message, for the admin "Outbox" page.
    recipient: Mapped[Optional[str]] = mapped_column(String(254))
    subject: Mapped[Optional[str]] = mapped_column(String(300))
    text_body: Mapped[Optional[str]] = mapped_column(Text)
