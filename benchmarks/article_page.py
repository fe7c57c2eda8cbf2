"""Article page throughput: the real page vs a Flask hello world vs the same page from memory.

Run: ``.venv/bin/python -m benchmarks.article_page`` (needs ``wrk``: apt-get install wrk).
Serves each app with gunicorn (2 sync workers) on 127.0.0.1, loads it with wrk (32 connections),
and writes benchmarks/results/article_page.md. Only loopback traffic; every run is bounded.
"""
from __future__ import annotations

import os
import platform
import re
import subprocess
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

from benchmarks.serving import gunicorn

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "article_page.md"
SLUG = "benchmark-story"
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = 32


def prepare_database(url: str, comments: int = 100) -> None:
    """Migrate an empty database and add one article with ``comments`` approved comments."""
    from flask_migrate import upgrade

    from newsroom import create_app
    from newsroom.extensions import db
    from newsroom.models import Article, Comment, CommentStatus, Section

    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        upgrade()
        now = datetime.now(timezone.utc)
        section = Section(name="News", slug="news")
        article = Article(
            slug=SLUG,
            headline="Benchmark story about the harbour",
            standfirst="A page with a hundred approved comments.",
            body="<p>" + "Words about tides and ferries. " * 80 + "</p>",
            byline="Bench Writer",
            section=section,
            published_at=now - timedelta(hours=2),
        )
        db.session.add(article)
        db.session.flush()
        roots = []
        for n in range(comments):
            parent = roots[n % len(roots)] if roots and n % 4 == 3 else None
            comment = Comment(
                article=article,
                parent=parent,
                thread_id=parent.id if parent else None,
                status=CommentStatus.APPROVED,
                author_name=f"Reader {n}",
                author_email=f"reader{n}@example.com",
                body=f"<p>Comment number {n} with <em>some</em> text about the ferry.</p>",
                created_at=now - timedelta(minutes=comments - n),
            )
            db.session.add(comment)
            db.session.flush()
            if parent is None:
                roots.append(comment)
        db.session.commit()
        db.engine.dispose()


def wrk(url: str) -> dict[str, str]:
    output = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", url],
        capture_output=True, text=True, check=True,
    ).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)
    p50 = re.search(r"50%\s+([\d.]+\w+)", output).group(1)
    p99 = re.search(r"99%\s+([\d.]+\w+)", output).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": rps, "p50": p50, "p99": p99, "non2xx": errors.group(1) if errors else "0"}


def query_count(url: str) -> int:
    from sqlalchemy import event

    from newsroom import create_app
    from newsroom.extensions import db

    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
    with app.app_context():
        statements = []
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        app.test_client().get(f"/articles/{SLUG}")
        db.engine.dispose()
    return len(statements)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.db"
        prepare_database(url)
        env = {
            **os.environ,
            "NEWSROOM_SECRET_KEY": "bench",
            "NEWSROOM_DATABASE_URL": url,
            "NEWSROOM_RATELIMIT_ENABLED": "false",
            "BENCH_ARTICLE_SLUG": SLUG,
        }
        no_cache = {"NEWSROOM_PAGE_CACHE_ENABLED": "false"}
        targets = [
            ("Flask hello world", "hello", "/", {}),
            ("article page, same template from memory", "jinja_memory", f"/memory/{SLUG}", {}),
            ("article page (Newsroom), page cache off", "newsroom", f"/articles/{SLUG}", no_cache),
            ("article page (Newsroom)", "newsroom", f"/articles/{SLUG}", {}),
        ]
        rows = []
        for label, app_name, path, settings in targets:
            port = 8700 + len(rows)
            process = gunicorn(app_name, {**env, **settings}, port)
            try:
                wrk(f"http://127.0.0.1:{port}{path}")  # warm-up run, discarded
                rows.append((label, wrk(f"http://127.0.0.1:{port}{path}")))
            finally:
                process.terminate()
                process.wait(timeout=10)
        queries = query_count(url)
    write_report(url, rows, queries)


def write_report(url: str, rows, queries: int) -> None:
    hello = float(rows[0][1]["rps"])
    lines = [
        "# Article page throughput",
        "",
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · {platform.machine()} · {os.cpu_count()} cores · "
        f"Python {platform.python_version()} · database {url.split(':')[0]}",
        "",
        f"gunicorn, 2 sync workers; wrk -t2 -c{CONNECTIONS} -d{DURATION} after a discarded warm-up; "
        "one article with 100 approved comments (25 of them replies).",
        "Command: `.venv/bin/python -m benchmarks.article_page`",
        "",
        "| what | req/s | × hello world | p50 | p99 | non-2xx |",
        "|---|---|---|---|---|---|",
    ]
    for label, result in rows:
        ratio = float(result["rps"]) / hello
        lines.append(
            f"| {label} | {float(result['rps']):,.0f} | {ratio:.2f} | {result['p50']} | "
            f"{result['p99']} | {result['non2xx']} |"
        )
    lines += ["", f"SQL queries per article page: {queries} (the same for 5 or 500 comments; see "
              "tests/readers/test_comment_threads.py)."]
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
