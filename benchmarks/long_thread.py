"""An article with 10,000 approved comments (paged at 100) against one with 100, cached and not.

Both articles are in the same database and served by the same server; the target is a
ratio of at least 0.9 (within 10 %) with the page cache on and with it off. Both first pages
show 100 comments (the long thread's replies answer its later threads), so the ratio measures
the size of the thread behind the page. A third article, also with 10,000 comments, whose
first page shows 200 (every thread on it has a reply), is reported beside them with no target.
Run alone: ``python -m benchmarks long_thread``.
"""
from __future__ import annotations

from benchmarks.data import DENSE_SLUG, LONG_SLUG, SLUG
from benchmarks.harness import Figure, Run, served, throughput_table, write_report


def run(run: Run) -> None:
    env = run.env(run.database())
    rows = []
    for label, settings in (("cached", {}), ("page cache off", {"NEWSROOM_PAGE_CACHE_ENABLED": "false"})):
        with served("newsroom", {**env, **settings}) as base:
            hundred = run.measure(f"{base}/articles/{SLUG}")
            long = run.measure(f"{base}/articles/{LONG_SLUG}")
            dense = run.measure(f"{base}/articles/{DENSE_SLUG}")
        rows += [
            (f"100 comments, {label}", hundred, "–", None, None),
            (f"10,000 comments, {label}", long, f"100 comments, {label}", hundred, 0.9),
            (f"10,000 comments, 200 on the page, {label}", dense, f"100 comments, {label}",
             hundred, None),
        ]
        run.figures.append(Figure(f"article with 10,000 approved comments, {label}",
                                  f"{long.ratio(hundred):.2f} × the 100-comment article",
                                  "≥ 0.9", long.ratio(hundred) >= 0.9))
    write_report(run, "long_thread", "A 10,000-comment thread against a 100-comment one", [
        f"Set-up: gunicorn, 2 sync workers, {run.dialect()}; wrk -t2 -c32 -d{run.settings.duration} after "
        f"a discarded {run.settings.warmup} warm-up, median of {run.settings.repeat}. A quarter of "
        "every article's comments are replies. The 100-comment article's page shows its 75 "
        "threads and 25 replies; the 10,000-comment article's first page shows 100 threads "
        "(its replies answer later threads): 100 comments each. The third article's first page "
        "shows 100 threads with a reply each (200 comments), for comparison only.",
    ], throughput_table(rows))


if __name__ == "__main__":
    from benchmarks.__main__ import main

    main(["long_thread"])
