"""Home, section pages and feeds with the app's defaults, against a Flask hello world.

Run alone: ``python -m benchmarks lists``. Target: each ≥ 0.7 × hello world.
"""
from __future__ import annotations

from benchmarks.harness import Figure, Run, served, throughput_table, write_report

PAGES = [
    ("home page", "/"),
    ("home page, page 2", "/?page=2"),
    ("section page", "/sections/harbour"),
    ("RSS feed", "/feed.xml"),
    ("Atom feed", "/atom.xml"),
    ("section RSS feed", "/sections/harbour/feed.xml"),
]


def run(run: Run) -> None:
    hello = run.hello()
    with served("newsroom", run.env(run.database())) as base:
        measured = [(label, run.measure(base + path)) for label, path in PAGES]
    rows = [("Flask hello world", hello, "–", None, None)]
    rows += [(f"{label} (`{path}`)", result, "hello world", hello, 0.7)
             for (label, path), (_, result) in zip(PAGES, measured)]
    write_report(run, "lists", "Home, section pages and feeds", [
        f"Set-up: gunicorn, 2 sync workers, {run.dialect()}, default settings (page cache on); wrk -t2 "
        f"-c32 -d{run.settings.duration} after a discarded {run.settings.warmup} warm-up, median "
        f"of {run.settings.repeat}; 27 published stories in 3 sections, 12 to a page.",
    ], throughput_table(rows))
    worst_label, worst = min(measured, key=lambda item: item[1].rps)
    run.figures.append(Figure("home, section pages and feeds, cached",
                              f"{worst.ratio(hello):.2f} × hello world (slowest: {worst_label})",
                              "≥ 0.7", worst.ratio(hello) >= 0.7))


if __name__ == "__main__":
    from benchmarks.__main__ import main

    main(["lists"])
