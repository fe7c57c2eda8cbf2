"""First ingest vs. unchanged re-ingest of a 1,000-item feed of ~3 KB items, on SQLite.

Run: ``.venv/bin/python -m benchmarks.ingest [--items 1000] [--repeat 3] [--profile]``.
Generates an RSS 2.0 feed of original synthetic stories (seeded, so every run reads the same
bytes), then for each repeat migrates a fresh SQLite database, ingests the file once (every
item new: parsed, cleaned, stored) and again unchanged (every item read and fingerprinted,
none cleaned). ``--profile`` adds the top of a cProfile of each. Writes
benchmarks/results/ingest.md. Targets (issue 12): re-ingest >= 5x faster than the first
ingest; the first ingest under 10 s.
"""
from __future__ import annotations

import argparse
import cProfile
import io
import os
import platform
import pstats
import random
import statistics
import subprocess
import tempfile
import time
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "ingest.md"
SITE = "https://bench-gazette.example"
WORDS = (
    "harbour ferry tide council lantern orchard bridge market quay pier lighthouse valley "
    "river meadow library bakery choir festival timetable volunteers mayor boatyard gulls "
    "schedule repairs weather storm sandbar footpath allotment museum archive school rowing "
    "regatta fishmonger cobbles chapel ringing bells lock keeper barge towpath heron willow"
).split()


def sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def story_html(rng: random.Random, n: int, size: int) -> str:
    """About ``size`` bytes of article HTML: paragraphs, a heading, links, an image, a list."""
    parts = [f'<h2>{sentence(rng, 4)}</h2>', f'<p><img src="/img/{n}.jpg" alt="Picture {n}"></p>']
    while sum(map(len, parts)) < size:
        parts.append(
            f"<p>{sentence(rng, 14)} <a href=\"/stories/{rng.randrange(10_000)}\">"
            f"{sentence(rng, 3)}</a> <em>{sentence(rng, 5)}</em> {sentence(rng, 12)}</p>"
        )
        if len(parts) % 5 == 0:
            parts.append(f"<ul><li>{sentence(rng, 4)}</li><li>{sentence(rng, 4)}</li></ul>")
    return "".join(parts)


def make_feed(items: int, size: int = 3000) -> bytes:
    """An RSS 2.0 feed of ``items`` original synthetic stories of ~``size`` bytes each."""
    rng = random.Random(12)
    start = datetime(2026, 11, 30, 12, tzinfo=timezone.utc)
    entries = []
    for n in range(items):
        body = story_html(rng, n, size - 400)
        entries.append(
            "<item>"
            f"<title>{escape(sentence(rng, 7))}</title>"
            f"<link>{SITE}/stories/{n}</link>"
            f'<guid isPermaLink="false">bench-gazette-{n:05d}</guid>'
            f"<pubDate>{format_datetime(start - timedelta(minutes=17 * n))}</pubDate>"
            f"<dc:creator>{escape(sentence(rng, 2)[:-1])}</dc:creator>"
            f"<description>{escape(sentence(rng, 25))}</description>"
            f"<content:encoded><![CDATA[{body}]]></content:encoded>"
            "</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>The Bench Gazette</title><link>{SITE}/</link>"
        "<description>Synthetic stories for the ingest benchmark.</description>"
        + "".join(entries)
        + "</channel></rss>\n"
    ).encode()


def timed_ingest(app, outlet_id: int, path: str, profile: bool) -> tuple:
    """Wall and CPU seconds for one ingest and commit, the run's counts, the profile's top."""
    from newsroom.extensions import db
    from newsroom.models import Outlet
    from newsroom.syndication.ingest import run_ingest

    with app.app_context():
        outlet = db.session.get(Outlet, outlet_id)
        profiler = cProfile.Profile() if profile else None
        started, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        run = run_ingest(outlet, path).run
        db.session.commit()
        if profiler:
            profiler.disable()
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        counts = {"created": run.created, "updated": run.updated, "skipped": run.skipped,
                  "error": run.error}
    return seconds, counts, _top(profiler) if profiler else "", cpu


def _top(profiler: cProfile.Profile, lines: int = 18) -> str:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(lines)
    text = out.getvalue()
    return text[text.index("ncalls"):] if "ncalls" in text else text


def one_repeat(path: str, profile: bool) -> tuple[tuple, tuple]:
    """A fresh database: (first ingest, unchanged re-ingest) as (seconds, counts, profile)."""
    from flask_migrate import upgrade

    from newsroom import create_app
    from newsroom.extensions import db
    from newsroom.models import Outlet

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        app = create_app({"SECRET_KEY": "bench", "SQLALCHEMY_DATABASE_URI": url})
        with app.app_context():
            upgrade()
            outlet = Outlet(name="The Bench Gazette", slug="bench-gazette", homepage_url=SITE)
            db.session.add(outlet)
            db.session.commit()
            outlet_id = outlet.id
        first = timed_ingest(app, outlet_id, path, profile)
        again = timed_ingest(app, outlet_id, path, profile)
        with app.app_context():
            db.engine.dispose()
    return first, again


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    feed = make_feed(args.items)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "bench-feed.xml")
        Path(path).write_bytes(feed)
        runs = [one_repeat(path, profile=False) for _ in range(args.repeat)]
        profiled = one_repeat(path, profile=True) if args.profile else None
    write_report(args, len(feed), runs, profiled)
    print(RESULTS.read_text())


def write_report(args, feed_bytes: int, runs, profiled) -> None:
    firsts = [first[0] for first, _ in runs]
    agains = [again[0] for _, again in runs]
    first, again = statistics.median(firsts), statistics.median(agains)
    first_cpu = statistics.median(first[3] for first, _ in runs)
    again_cpu = statistics.median(again[3] for _, again in runs)
    command = "python -m benchmarks.ingest" + (" --profile" if args.profile else "")
    lines = [
        "# Ingest and unchanged re-ingest",
        "",
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · {platform.machine()} · "
        f"{os.cpu_count()} cores (shared) · Python {platform.python_version()} · SQLite · "
        f"commit {_commit()} · load average before the run "
        + " / ".join(f"{value:.1f}" for value in os.getloadavg()),
        "",
        f"Command: `.venv/bin/{command}`",
        "",
        f"A generated RSS 2.0 file of {args.items:,} original synthetic items "
        f"({feed_bytes / args.items / 1000:.1f} KB per item, {feed_bytes / 1e6:.1f} MB), "
        "ingested into a fresh SQLite database (migrated), then ingested again unchanged. "
        f"Median of {args.repeat} repeats, each on its own database; times include the commit.",
        "",
        "| run | median (wall) | each run (wall) | median CPU time | counts (last run) |",
        "|---|---|---|---|---|",
        f"| first ingest | {first:.2f} s | {', '.join(f'{s:.2f}' for s in firsts)} | "
        f"{first_cpu:.2f} s | {_counts(runs[-1][0][1])} |",
        f"| unchanged re-ingest | {again:.2f} s | {', '.join(f'{s:.2f}' for s in agains)} | "
        f"{again_cpu:.2f} s | {_counts(runs[-1][1][1])} |",
        "",
        f"Re-ingest is **{first / again:.1f}×** faster than the first ingest "
        f"(target ≥ 5×: {'met' if first / again >= 5 else 'not met'}); the first ingest takes "
        f"{first:.2f} s (target < 10 s: {'met' if first < 10 else 'not met'}). CPU time is "
        "this process's own; the machine is shared, so wall time includes waiting for a core.",
    ]
    if profiled:
        for title, (_, _, top, _) in (("first ingest", profiled[0]), ("re-ingest", profiled[1])):
            lines += ["", f"## cProfile, {title} (cumulative, top entries)", "", "```",
                      top.rstrip(), "```"]
    RESULTS.write_text("\n".join(lines) + "\n")


def _counts(counts: dict) -> str:
    if counts["error"]:
        return f"error: {counts['error']}"
    return f"{counts['created']} created, {counts['updated']} updated, {counts['skipped']} skipped"


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


if __name__ == "__main__":
    main()
