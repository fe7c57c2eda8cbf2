"""``flask --app wsgi --help`` start-up time, and what the import of the app costs.

Run: ``.venv/bin/python -m benchmarks.cli_startup [--runs 7]``. Times the whole command (a
new process each run; median and best), then records ``python -X importtime -c "import
wsgi"`` as the modules with the largest cumulative import time. Writes
benchmarks/results/cli_startup.md. Target (issue 12): under 1 s.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from benchmarks.ingest import _commit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "cli_startup.md"
FLASK = Path(sys.executable).with_name("flask")
_IMPORTTIME = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)")


def environment(folder: str) -> dict[str, str]:
    return {
        **os.environ,
        "NEWSROOM_SECRET_KEY": "bench-only",
        "NEWSROOM_DATABASE_URL": f"sqlite:///{folder}/startup.db",
    }


def time_help(env: dict[str, str], runs: int) -> list[float]:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [str(FLASK), "--app", "wsgi", "--help"], cwd=ROOT, env=env, check=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        seconds.append(time.perf_counter() - started)
    return seconds


def import_profile(env: dict[str, str], top: int = 25):
    """Seconds to import ``wsgi``, the ``top`` modules by cumulative time, and the feed ones."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import wsgi"], cwd=ROOT, env=env,
        capture_output=True, text=True, check=True,
    )
    rows = []
    for line in done.stderr.splitlines():
        match = _IMPORTTIME.match(line)
        if match:
            rows.append((int(match[2]), int(match[1]), len(match[3]) // 2, match[4]))
    total = next((cumulative for cumulative, _, depth, name in rows if name == "wsgi"), 0)
    rows.sort(reverse=True)
    named = [(cum, own, f"{'· ' * depth}{name}") for cum, own, depth, name in rows]
    feeds = [row for row in named if re.search(r"syndication|feedparser|dateparser", row[2])]
    feeds = [row for row in feeds if row[0] >= 1000][:12]  # at least a millisecond
    return total / 1e6, named[:top], feeds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        env = environment(folder)
        seconds = time_help(env, args.runs)
        total, rows, feeds = import_profile(env)
    median = statistics.median(seconds)
    lines = [
        "# CLI start-up: `flask --app wsgi --help`",
        "",
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · {platform.machine()} · "
        f"{os.cpu_count()} cores (shared) · Python {platform.python_version()} · "
        f"commit {_commit()} · load average before the run "
        + " / ".join(f"{value:.1f}" for value in os.getloadavg()),
        "",
        f"Command: `.venv/bin/python -m benchmarks.cli_startup --runs {args.runs}`",
        "",
        f"`flask --app wsgi --help`, a new process each time, {args.runs} runs: median "
        f"**{median:.2f} s**, best {min(seconds):.2f} s "
        f"(target < 1 s: {'met' if median < 1 else 'not met'}). "
        f"`import wsgi` alone (`python -X importtime -c \"import wsgi\"`): {total:.2f} s.",
        "",
        "Largest cumulative import times (a module's own time and what it imports; "
        "indentation is import depth):",
        "",
        "| cumulative | own | module |",
        "|---|---|---|",
        *(f"| {cum / 1000:,.0f} ms | {own / 1000:,.1f} ms | `{name}` |"
          for cum, own, name in rows),
        "",
        "Feed handling's share (newsroom.syndication, feedparser; dateparser must be absent, "
        "it is imported on first use):",
        "",
        "| cumulative | own | module |",
        "|---|---|---|",
        *(f"| {cum / 1000:,.0f} ms | {own / 1000:,.1f} ms | `{name}` |"
          for cum, own, name in feeds),
    ]
    RESULTS.write_text("\n".join(lines) + "\n")
    print(RESULTS.read_text())


if __name__ == "__main__":
    main()
