"""End to end with a real ``flask worker`` process and a real SMTP server.

The queue is huey's embedded SQLite file, and Redis when one answers on 127.0.0.1:6379 (with
this run's own key prefix). On PostgreSQL (NEWSROOM_TEST_DATABASE_URL) both run against it.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from sqlalchemy import func, select

from newsroom.extensions import db
from newsroom.models import (Comment, CommentStatus, Job, JobStatus, Role, Subscriber,
                             Subscription, utcnow)
from newsroom.moderation.actions import set_status
from newsroom.subscriptions.service import new_token
from tests import factories as make
from tests.mailbox import SMTPServer, text_of
from tests.subscriptions.conftest import confirm_link

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/0"
ANNA = "anna.e2e@example.org"


def redis_answers() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping())
    except redis.RedisError:
        return False


QUEUES = ["embedded", pytest.param("redis", marks=pytest.mark.skipif(
    not redis_answers(), reason="no Redis on 127.0.0.1:6379"))]


@pytest.fixture(params=QUEUES)
def setup(request, make_app, database_url, tmp_path):
    """(app, smtp server, worker environment) sharing one database and one queue."""
    name = f"newsroom-test-worker-{uuid.uuid4().hex[:10]}"
    settings = {"JOBS_QUEUE_NAME": name, "JOBS_SQLITE_PATH": str(tmp_path / "jobs.db"),
                "JOBS_LEASE_SECONDS": 1, "PAGE_CACHE_KEY_PREFIX": f"{name}:page:"}
    if request.param == "redis":
        settings["REDIS_URL"] = REDIS_URL
    with SMTPServer() as smtp:
        settings.update(smtp.settings())
        app = make_app(**settings)
        env = {**os.environ, "NEWSROOM_DATABASE_URL": database_url,
               "NEWSROOM_SECRET_KEY": app.config["SECRET_KEY"],
               "NEWSROOM_SITE_URL": "https://news.example",
               "NEWSROOM_MAIL_DEFAULT_SENDER": "newsroom@news.example",
               "NEWSROOM_RATELIMIT_ENABLED": "false"}
        env.update({f"NEWSROOM_{key}": str(value) for key, value in settings.items()
                    if key not in ("MAIL_DEFAULT_SENDER",)})
        env.pop("FLASK_DEBUG", None)
        with app.app_context():
            yield app, smtp, env
        if request.param == "redis":
            client = redis.Redis.from_url(REDIS_URL)
            for key in client.scan_iter(match=f"*{name}*"):
                client.delete(key)


class Worker:
    """``flask --app wsgi worker`` as a child process."""

    def __init__(self, env: dict, log: Path) -> None:
        self.env, self.log, self.process = env, log, None

    def start(self) -> Worker:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--threads", "1"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL,
            stderr=self.log.open("ab"),
        )
        return self

    def kill(self) -> None:
        """SIGKILL: no chance to finish anything."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


def jobs_left() -> int:
    db.session.rollback()  # a fresh snapshot: the worker writes from another process
    return db.session.scalar(select(func.count()).select_from(Job).where(
        Job.status.in_((JobStatus.PENDING, JobStatus.RUNNING))))


def wait_until(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            db.session.rollback()
            jobs = [(job.name, job.status.value, job.attempts, job.error)
                    for job in db.session.scalars(select(Job))]
            raise AssertionError(f"gave up waiting for the worker; jobs: {jobs}")
        time.sleep(0.05)


def idle(worker: Worker):
    def check() -> bool:
        assert worker.process.poll() is None, worker.log.read_text()[-3000:]
        return jobs_left() == 0
    return check


def test_subscribe_confirm_reply_unsubscribe(setup, tmp_path):
    app, smtp, env = setup
    article = make.article("Pier lights", slug="pier-lights")
    moderator = make.user(Role.MODERATOR)
    db.session.commit()
    worker = Worker(env, tmp_path / "worker.log").start()

    def replies_to_anna():
        return [m for m in smtp.mailbox.to(ANNA) if "replied to your comment" in m["Subject"]]

    try:
        reader = app.test_client()
        anna = _post(app, reader, article, ANNA, notify=True)
        wait_until(lambda: len(smtp.mailbox.messages) == 1)
        token = confirm_link(text_of(smtp.mailbox.messages[0]))
        assert reader.post(f"/subscriptions/{token}").status_code == 200
        _approve(anna, moderator)
        reply = _post(app, app.test_client(), article, "bruno.e2e@example.org", parent=anna)
        wait_until(idle(worker))
        assert replies_to_anna() == []  # the reply is pending: nothing yet
        published = smtp.mailbox.to(ANNA)[-1]["Subject"]  # her own comment, held then approved
        assert published == "Your comment on “Pier lights” is published"
        _approve(reply, moderator)
        wait_until(lambda: len(replies_to_anna()) == 1)
        wait_until(idle(worker))
        (note,) = replies_to_anna()
        assert f"#comment-{reply.id}" in text_of(note)
        url = note["List-Unsubscribe"].strip("<>").removeprefix("https://news.example")
        one_click = app.test_client(use_cookies=False)
        assert one_click.post(url, data={"List-Unsubscribe": "One-Click"}).status_code == 200
        again = _post(app, app.test_client(), article, "bruno.e2e@example.org", parent=anna,
                      body="One more thing.")
        _approve(again, moderator)
        wait_until(idle(worker))
        assert len(replies_to_anna()) == 1
        assert len(smtp.mailbox.messages) == 3  # confirmation, published, one reply
    finally:
        worker.stop()


def test_a_worker_killed_mid_run_sends_every_message_exactly_once(setup, tmp_path):
    app, smtp, env = setup
    article = make.article("Harbour regatta", slug="harbour-regatta")
    moderator = make.user(Role.MODERATOR)
    followers = [f"follower{n}.regatta@example.org" for n in range(24)]
    for email in followers:
        mine = make.comment(article, author_email=email)
        subscriber = Subscriber(email=email, token=new_token(), confirmed_at=utcnow())
        db.session.add(Subscription(subscriber=subscriber, comment=mine, token=new_token()))
        make.comment(article, parent=mine, status=CommentStatus.PENDING,
                     author_email="answers.regatta@example.org")
    db.session.commit()
    for pending in db.session.scalars(select(Comment).where(Comment.status == "pending")):
        set_status(pending, CommentStatus.APPROVED, moderator)
    db.session.commit()  # 24 jobs pushed to the queue at once
    worker = Worker(env, tmp_path / "worker.log")
    killed = []

    def kill_mid_conversation(received: int) -> None:
        if received == 9 and not killed:  # the 10th message: recipient named, not yet sent
            killed.append(received)
            worker.kill()

    smtp.mailbox.on_recipient = kill_mid_conversation
    worker.start()
    wait_until(lambda: killed and worker.process.poll() is not None)
    assert len(smtp.mailbox.messages) == 9
    assert jobs_left() > 0
    time.sleep(1.1)  # past JOBS_LEASE_SECONDS: the restarted worker takes over the dead one's job
    worker.start()
    try:
        wait_until(idle(worker))
    finally:
        worker.stop()
    counts = {email: len(smtp.mailbox.to(email)) for email in followers}
    assert set(counts.values()) == {1}, counts
    assert len(smtp.mailbox.messages) == len(followers)


def _post(app, client, article, email, *, parent=None, notify=False, body=None):
    from newsroom.comments.intake import form_token

    data = {"name": email.split("@")[0], "email": email, "website": "",
            "body": body or f"Said by {email.split('@')[0]}.", "form_token": form_token(article),
            "parent_id": str(parent.id) if parent else ""}
    if notify:
        data["notify"] = "y"
    assert client.post(f"/articles/{article.slug}/comments", data=data).status_code == 303
    return db.session.scalars(select(Comment).order_by(Comment.id.desc())).first()


def _approve(comment, moderator) -> None:
    comment = db.session.get(Comment, comment.id)
    set_status(comment, CommentStatus.APPROVED, db.session.merge(moderator))
    db.session.commit()
