"""The article page (100 approved comments): page cache on and off, against its references.

- cached, against a Flask hello world on the same server set-up (target ≥ 0.7 ×);
- page cache off, against the same template rendered from objects held in memory, i.e. the
  page with no database work at all (``benchmarks.apps:jinja_memory``; target ≥ 1.0 ×): the
  SPEC's "pure-Jinja render of the same page from memory", every comment rendered by its macro
  from its fields. The same render assembling the comments' stored fragments instead (the real
  page's render without its database work) is reported beside it, with no target.

Both references render the bytes the real page serves (the shared page's form, no token).

Run alone: ``python -m benchmarks article_page``.
"""
from __future__ import annotations

from benchmarks.data import SLUG, prepare_database  # noqa: F401  (imported from here by others)
from benchmarks.harness import Figure, Run, served, throughput_table, write_report

PATH = f"/articles/{SLUG}"


def run(run: Run) -> None:
    hello = run.hello()
    env = run.env(run.database())
    with served("jinja_memory", env) as base:
        memory = run.measure(f"{base}/memory/{SLUG}")
        assembled = run.measure(f"{base}/memory-fragments/{SLUG}")
    with served("newsroom", {**env, "NEWSROOM_PAGE_CACHE_ENABLED": "false"}) as base:
        uncached = run.measure(base + PATH)
    with served("newsroom", env) as base:
        cached = run.measure(base + PATH)
    rows = [
        ("Flask hello world", hello, "–", None, None),
        ("same template rendered from memory", memory, "hello world", hello, None),
        ("same, stored fragments assembled, from memory", assembled, "template from memory",
         memory, None),
        ("article page, page cache off", uncached, "template from memory", memory, 1.0),
        ("article page, cached (anonymous)", cached, "hello world", hello, 0.7),
    ]
    write_report(run, "article_page", "Article page throughput", [
        f"Set-up: gunicorn, 2 sync workers, {run.dialect()}; wrk -t2 -c32 -d{run.settings.duration} after "
        f"a discarded {run.settings.warmup} warm-up, median of {run.settings.repeat}; one "
        "article with 100 approved comments (25 of them replies), no cookies sent. "
        "The references are benchmarks.apps:jinja_memory: the article template rendered from "
        "the objects loaded once at start-up, every comment by its macro (and, on the second "
        "line, with the stored fragments assembled instead); all three pages are the same bytes.",
    ], throughput_table(rows))
    run.figures += [
        Figure("anonymous article page, cached", f"{cached.ratio(hello):.2f} × hello world",
               "≥ 0.7", cached.ratio(hello) >= 0.7),
        Figure("page cache off", f"{uncached.ratio(memory):.2f} × template from memory",
               "≥ 1.0", uncached.ratio(memory) >= 1.0),
    ]


if __name__ == "__main__":
    from benchmarks.__main__ import main

    main(["article_page"])
