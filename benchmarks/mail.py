"""Notification mail: how fast one worker sends, and what notifications add to a comment POST.

Run: ``.venv/bin/python -m benchmarks.mail`` (BENCH_MAILS, default 500). Writes
benchmarks/results/mail.md.

1. Throughput: BENCH_MAILS confirmed followers, each with a comment that has just been
   answered and approved (one notify-reply job each), on SQLite with the embedded queue; a
   real ``flask --app wsgi worker`` process (1 thread, then 2) sends to an aiosmtpd server on
   127.0.0.1 in this process. Timed from the worker's start to the last message received.
2. Web cost: the same reply POST through the real form and view (Flask test client, one at a
   time, rate limits off, auto-approval on so each reply is approved at once), with mail off
   and with mail on and every reply answering a confirmed follower (so each POST queues a
   notification job). Reported: ms per POST (p50, p90) and SQL statements per POST.
"""
from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import event

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "mail.md"
MAILS = int(os.environ.get("BENCH_MAILS", "500"))
POSTS = int(os.environ.get("BENCH_POSTS", "300"))
SECRET = "bench-secret"


def _app(url: str, jobs: str, **settings):
    from newsroom import create_app

    return create_app({"SECRET_KEY": SECRET, "SQLALCHEMY_DATABASE_URI": url, "TESTING": True,
                       "SITE_URL": "https://news.example", "JOBS_SQLITE_PATH": jobs,
                       "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False,
                       "COMMENT_MIN_SECONDS": 0, "COMMENT_PREMODERATION": False,
                       "PAGE_CACHE_ENABLED": False, **settings})


def _followers(app, count: int, approve_replies: bool):
    """``count`` confirmed followers, each on their own comment; replies approved if asked."""
    from flask_migrate import upgrade

    from newsroom.extensions import db
    from newsroom.models import (Article, Comment, CommentStatus, Role, Subscriber,
                                 Subscription, User)
    from newsroom.moderation.actions import set_status
    from newsroom.subscriptions.service import new_token

    with app.app_context():
        upgrade()
        now = datetime.now(timezone.utc)
        article = Article(slug="bench-mail", headline="Harbour regatta results",
                          body="<p>Boats.</p>", published_at=now)
        moderator = User(email="desk@news.example", role=Role.MODERATOR, password_hash="x")
        db.session.add_all([article, moderator])
        parents = []
        for n in range(count):
            mine = Comment(article=article, status=CommentStatus.APPROVED, author_name=f"F{n}",
                           author_email=f"follower{n}@example.org", body="<p>Mine.</p>")
            subscriber = Subscriber(email=f"follower{n}@example.org", token=new_token(),
                                    confirmed_at=now)
            db.session.add_all([mine, Subscription(subscriber=subscriber, comment=mine,
                                                   token=new_token())])
            parents.append(mine)
        db.session.flush()
        if approve_replies:
            for mine in parents:
                reply = Comment(article=article, parent=mine, thread_id=mine.id,
                                status=CommentStatus.PENDING, author_name="Answerer",
                                author_email="answerer@example.org", body="<p>Congrats!</p>")
                db.session.add(reply)
                db.session.flush()
                set_status(reply, CommentStatus.APPROVED, moderator)
        ids = [mine.id for mine in parents]
        db.session.commit()
        return ids


def throughput(threads: int) -> dict:
    from tests.mailbox import SMTPServer

    with tempfile.TemporaryDirectory() as tmp, SMTPServer() as smtp:
        url, jobs = f"sqlite:///{tmp}/bench.db", f"{tmp}/jobs.db"
        _followers(_app(url, jobs, **smtp.settings()), MAILS, approve_replies=True)
        env = {**os.environ, "NEWSROOM_DATABASE_URL": url, "NEWSROOM_SECRET_KEY": SECRET,
               "NEWSROOM_SITE_URL": "https://news.example", "NEWSROOM_MAIL_SERVER": "127.0.0.1",
               "NEWSROOM_MAIL_PORT": str(smtp.port), "NEWSROOM_JOBS_SQLITE_PATH": jobs,
               "NEWSROOM_MAIL_MAX_PER_RECIPIENT_PER_DAY": "1000"}
        started = time.perf_counter()
        worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "worker", "--threads", str(threads)],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while len(smtp.mailbox.messages) < MAILS and time.perf_counter() - started < 600:
                time.sleep(0.01)
            elapsed = time.perf_counter() - started
        finally:
            worker.terminate()
            worker.wait(timeout=30)
        return {"threads": threads, "mails": len(smtp.mailbox.messages), "seconds": elapsed}


def web_cost(notifications: bool, followed: bool = True) -> dict:
    from newsroom.comments.intake import form_token
    from newsroom.extensions import db
    from newsroom.models import Article, Subscription
    from tests.mailbox import SMTPServer

    with tempfile.TemporaryDirectory() as tmp, SMTPServer() as smtp:
        settings = smtp.settings() if notifications else {"TESTING": False, "DEBUG": False}
        app = _app(f"sqlite:///{tmp}/bench.db", f"{tmp}/jobs.db", **settings)
        parents = _followers(app, POSTS, approve_replies=False)
        with app.app_context():
            if not followed:  # the common case: the answered comment's author asked for nothing
                db.session.execute(db.delete(Subscription))
                db.session.commit()
            article = db.session.get(Article, 1) or Article.query.first()
            token, statements, times = form_token(article), [], []
            event.listen(db.engine, "before_cursor_execute",
                         lambda *args: statements.append(1))
            client = app.test_client()
            for n, parent in enumerate(parents):
                data = {"name": f"Poster {n}", "email": f"poster{n}@example.org",
                        "body": f"Reply number {n} about the regatta.", "website": "",
                        "form_token": token, "parent_id": str(parent)}
                started = time.perf_counter()
                response = client.post("/articles/bench-mail/comments", data=data)
                times.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 303, response.status_code
            from newsroom.models import Job

            queued = db.session.query(Job).filter(Job.name == "notify-reply").count()
        times.sort()
        return {"notifications": notifications, "followed": followed,
                "p50": statistics.median(times),
                "p90": times[int(len(times) * 0.9)], "queries": len(statements) / len(parents),
                "jobs": queued}


def _answered(cost: dict) -> str:
    if not cost["notifications"]:
        return "—"
    return "followed" if cost["followed"] else "not followed"


def main() -> None:
    runs = [throughput(1), throughput(2)]
    costs = [web_cost(False), web_cost(True, followed=False), web_cost(True)]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    lines = [
        "# Notification mail", "",
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · commit {commit} · "
        f"{platform.machine()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
        f"SQLite (WAL), embedded huey queue · load average before the run {load}", "",
        "Command: `.venv/bin/python -m benchmarks.mail`", "",
        "## One worker sending reply notifications to an SMTP server on 127.0.0.1", "",
        f"{MAILS} approved replies, one confirmed follower each (one job, one message each); "
        "a real `flask --app wsgi worker` process; aiosmtpd in the benchmark process. "
        "Timed from the worker's start (including its start-up) to the last message received.",
        "", "| worker threads | messages | seconds | messages/s |", "|---|---|---|---|",
    ]
    lines += [f"| {r['threads']} | {r['mails']} | {r['seconds']:.2f} | "
              f"{r['mails'] / r['seconds']:.0f} |" for r in runs]
    lines += [
        "", "## What notifications add to a reply POST", "",
        f"{POSTS} replies POSTed one at a time through the real form and view (Flask test "
        "client, in process), auto-approved, each answering a different follower's comment. "
        "Mail off: production without NEWSROOM_MAIL_SERVER (no notification work at all). "
        "Mail on, nobody follows: one SELECT finds no follower. Mail on, followed: each "
        "approved reply also queues a notify-reply job (the job row, then the push to the "
        "queue after commit). No SMTP, no rendering and no per-follower work happen in the "
        "request; a top-level comment makes no notification query at all.", "",
        "| mail | answered comment | p50 ms/POST | p90 ms/POST | SQL statements/POST "
        "| notification jobs queued |",
        "|---|---|---|---|---|---|",
    ]
    lines += [f"| {'on' if c['notifications'] else 'off'} | {_answered(c)} | "
              f"{c['p50']:.2f} | {c['p90']:.2f} | {c['queries']:.1f} | {c['jobs']} |"
              for c in costs]
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
