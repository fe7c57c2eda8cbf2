"""An article with 10,000 approved comments (paged at 100) against one with 100, cached and not.

Both articles are in the same database and served by the same server; the target is a
ratio of at least 0.9 (within 10 %) with the page cache on and with it off.
Run alone: ``python -m benchmarks long_thread``.
"""
from __future__ import annotations

from benchmarks.data import LONG_SLUG, SLUG
from benchmarks.harness import Figure, Run, served, throughput_table, write_report


def run(run: Run) -> None:
    env = run.env(run.database())
    rows = []
    for label, settings in (("cached", {}), ("page cache off", {"NEWSROOM_PAGE_CACHE_ENABLED": "false"})):
        with served("newsroom", {**env, **settings}) as base:
            hundred = run.measure(f"{base}/articles/{SLUG}")
            long = run.measure(f"{base}/articles/{LONG_SLUG}")
        rows += [
            (f"100 comments, {label}", hundred, "–", None, None),
            (f"10,000 comments, {label}", long, f"100 comments, {label}", hundred, 0.9),
        ]
        run.figures.append(Figure(f"article with 10,000 approved comments, {label}",
                                  f"{long.ratio(hundred):.2f} × the 100-comment article",
                                  "≥ 0.9", long.ratio(hundred) >= 0.9))
    write_report(run, "long_thread", "A 10,000-comment thread against a 100-comment one", [
        f"Set-up: gunicorn, 2 sync workers, {run.dialect()}; wrk -t2 -c32 -d{run.settings.duration} after "
        f"a discarded {run.settings.warmup} warm-up, median of {run.settings.repeat}; both pages "
        "show 100 top-level comments with their replies (a quarter of all comments are replies).",
    ], throughput_table(rows))


if __name__ == "__main__":
    from benchmarks.__main__ import main

    main(["long_thread"])
