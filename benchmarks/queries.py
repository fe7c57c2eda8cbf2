"""SQL statements on an article-page cache hit, for 10 and for 10,000 approved comments.

In-process (Flask test client, no wrk): the first anonymous request renders and stores the
page, the second, from a new reader, is a hit; a ``before_cursor_execute`` listener records
its statements. Target: 0, or one primary-key read, whatever the thread's length. The table
counts the most a hit reads (``PAGE_CACHE_CHECK_SECONDS=0``: the site's counters read for
every request); a note gives the default's count (within 0.1 s of the process's last read).
Run alone: ``python -m benchmarks queries`` (the suite's smoke test runs it with --quick).
"""
from __future__ import annotations

import re

from benchmarks.data import LONG_SLUG, SHORT_SLUG
from benchmarks.harness import Figure, Run, write_report

AGGREGATE = re.compile(r"\b(count|sum|max|min|avg)\s*\(", re.IGNORECASE)


def cache_hit_statements(database: str, slug: str, check_seconds: float = 0) -> list[str]:
    from sqlalchemy import event

    from newsroom import create_app
    from newsroom.extensions import db

    app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": database, "TESTING": True,
                      "PAGE_CACHE_CHECK_SECONDS": check_seconds})
    with app.app_context():
        engine = db.engine
    statements: list[str] = []
    assert app.test_client(use_cookies=False).get(f"/articles/{slug}").status_code == 200
    event.listen(engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    assert app.test_client(use_cookies=False).get(f"/articles/{slug}").status_code == 200
    engine.dispose()
    return statements


def run(run: Run) -> None:
    database = run.database()
    counted = {comments: cache_hit_statements(database, slug)
               for comments, slug in ((10, SHORT_SLUG), (10_000, LONG_SLUG))}
    table = ["| approved comments | SQL statements on a cache hit | with an aggregate over the comments |",
             "|---:|---:|---:|"]
    for comments, statements in counted.items():
        aggregates = sum(1 for s in statements if "FROM comments" in s and AGGREGATE.search(s))
        table.append(f"| {comments:,} | {len(statements)} | {aggregates} |")
    default = len(cache_hit_statements(database, LONG_SLUG, check_seconds=0.1))
    long = counted[10_000]
    flat = len(long) == len(counted[10]) and len(long) <= 1
    aggregate = any("FROM comments" in s for s in long)
    write_report(run, "queries", "SQL on an article-page cache hit", [
        f"Method: Flask test client, {run.dialect()}; one request renders and stores the page, "
        "a second from another anonymous reader (no cookies) is counted with a SQLAlchemy "
        "`before_cursor_execute` listener.",
    ], table, ["The statements of the 10,000-comment hit:", "", "```",
               *long, "```", "",
               f"With the default PAGE_CACHE_CHECK_SECONDS (0.1), a hit soon after the "
               f"process's last read of the counters: {default} statements."])
    run.figures.append(Figure(
        "SQL on a cache hit",
        f"{len(counted[10])} / {len(long)} statements for 10 / 10,000 comments"
        + (" (an aggregate over all the comments)" if aggregate else ""),
        "0 (or 1 primary-key read), whatever the size", flat and not aggregate))


if __name__ == "__main__":
    from benchmarks.__main__ import main

    main(["queries"])
