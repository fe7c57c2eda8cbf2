"""``python -m benchmarks [NAME ...] [--quick]``: every figure of issue 13's table in one run.

Each benchmark writes benchmarks/results/<name>.md (machine, commit, date, command, and each
figure's ratio to its reference measured in the same run); a run of all of them also writes
results/summary.md, the issue's table with this run's figures. wrk and nginx come from
Debian (apt-get install wrk nginx); nothing is installed here.
"""
from __future__ import annotations

import argparse
import importlib
import os
import shlex
import shutil
import signal
import sys
from pathlib import Path

from benchmarks.harness import RESULTS, Run, Settings, scratch_folder, write_report

#: name: (module, needs wrk, needs nginx); in the order of the issue's table.
BENCHMARKS = {
    "article_page": ("benchmarks.article_page", True, False),
    "long_thread": ("benchmarks.long_thread", True, False),
    "nginx_tier": ("benchmarks.nginx_tier", True, True),
    "lists": ("benchmarks.lists", True, False),
    "queries": ("benchmarks.queries", False, False),
    "comment_post": ("benchmarks.comment_post", True, False),
    "memory": ("benchmarks.memory", True, False),
}


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"benchmarks to run (default: all): {', '.join(BENCHMARKS)}")
    parser.add_argument("--quick", action="store_true",
                        help="short durations and fewer requests (checks the harness, not speed)")
    parser.add_argument("--duration", help="wrk duration per measurement (default 10s; quick 1s)")
    parser.add_argument("--warmup", help="discarded wrk run before each (default 3s; quick 1s)")
    parser.add_argument("--repeat", type=int, help="runs per figure, the median kept (default 1)")
    parser.add_argument("--note", help="a line added to every table, e.g. why figures are noisy")
    parser.add_argument("--results", type=Path, default=RESULTS, help="where the tables go")
    parser.add_argument("--database", help="an EMPTY database the read benchmarks fill and use, "
                        "e.g. postgresql+psycopg://…; default: a SQLite file (comment POSTs and "
                        "the soak always use SQLite files of their own)")
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark {unknown[0]!r}; choose from {', '.join(BENCHMARKS)}")
    return args


def missing_tools(names: list[str]) -> list[str]:
    needs = [BENCHMARKS[name] for name in names]
    missing = []
    if any(wrk for _, wrk, _ in needs) and not shutil.which("wrk"):
        missing.append("wrk (apt-get install wrk)")
    if any(nginx for _, _, nginx in needs) and not os.access("/usr/sbin/nginx", os.X_OK):
        missing.append("nginx (apt-get install nginx)")
    return missing


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    args = parse(argv)
    names = args.names or list(BENCHMARKS)
    missing = missing_tools(names)
    if missing:
        sys.exit(f"python -m benchmarks: needs {' and '.join(missing)}")
    settings = Settings.make(
        quick=args.quick, duration=args.duration, warmup=args.warmup, repeat=args.repeat,
        note=args.note, results=args.results, database=args.database,
        command=" ".join(["python -m benchmarks", *map(shlex.quote, argv)]),
    )
    # Stopped with SIGTERM: unwind, so every gunicorn and nginx started here is stopped too.
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        with scratch_folder() as scratch:
            run = Run(settings, scratch)
            for name in names:
                print(f"== {name}", flush=True)
                importlib.import_module(BENCHMARKS[name][0]).run(run)
    finally:
        signal.signal(signal.SIGTERM, previous)
    if not args.names:
        write_summary(run)


def write_summary(run: Run) -> None:
    table = ["| what | this run | target | met |", "|---|---|---|---|"]
    for figure in run.figures:
        met = {True: "yes", False: "no", None: "–"}[figure.met]
        table.append(f"| {figure.what} | {figure.measured} | {figure.target} | {met} |")
    write_report(run, "summary", "Issue 13's figures, one run", [
        "Every ratio is to a reference measured in the same run; the tables beside this file "
        "give the req/s, latencies and set-ups.",
    ], table)


if __name__ == "__main__":
    main()
