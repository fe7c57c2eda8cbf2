"""``flask --app wsgi --help`` start-up time, and what the import of the app costs.

Run: ``.venv/bin/python -m benchmarks.cli_startup [--runs 7] [--baseline DIR]``. Times the
whole command (a new process each run; median and best wall time, and the process's CPU time,
user + system, which the other loads on a shared machine disturb far less), then records
``python -X importtime -c "import wsgi"`` as the modules with the largest cumulative import
time. ``--baseline DIR``: a checkout of another commit (``git archive <commit> | tar -x -C
DIR``), timed the same way with its runs interleaved with ours, so both see the same load.
Writes benchmarks/results/cli_startup.md. Target (issue 12): under 1 s.
"""
from __future__ import annotations

import argparse
import os
import resource
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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def time_once(env: dict[str, str], folder: Path = ROOT) -> tuple[float, float]:
    """(wall, CPU) seconds of one ``flask --app wsgi --help`` run from ``folder``."""
    if folder != ROOT:
        env = {**env, "PYTHONPATH": str(folder)}  # its newsroom before our editable install
    cpu, started = _children_cpu(), time.perf_counter()
    subprocess.run(
        [str(FLASK), "--app", "wsgi", "--help"], cwd=folder, env=env, check=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started, _children_cpu() - cpu


def time_help(env: dict[str, str], runs: int, baseline: Path | None = None):
    """Our (wall, CPU) runs, and the baseline's (interleaved with ours) when one is given."""
    ours, theirs = [], []
    for _ in range(runs):
        ours.append(time_once(env))
        if baseline is not None:
            theirs.append(time_once(env, baseline))
    return ours, theirs


def _figures(runs: list[tuple[float, float]]) -> str:
    wall = [w for w, _ in runs]
    cpu = [c for _, c in runs]
    return (f"median **{statistics.median(wall):.2f} s** wall (best {min(wall):.2f} s), "
            f"median CPU {statistics.median(cpu):.2f} s (best {min(cpu):.2f} s)")


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
    parser.add_argument("--baseline", type=Path, help="a checkout of the commit to compare with")
    parser.add_argument("--baseline-label", default="", help="which commit the checkout is")
    args = parser.parse_args()
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder:
        env = environment(folder)
        ours, theirs = time_help(env, args.runs, args.baseline)
        total, rows, feeds = import_profile(env)
    median = statistics.median(wall for wall, _ in ours)
    cpu_median = statistics.median(cpu for _, cpu in ours)
    command = f".venv/bin/python -m benchmarks.cli_startup --runs {args.runs}"
    if args.baseline:
        command += f" --baseline {args.baseline} --baseline-label '{args.baseline_label}'"
    compared = [
        "", f"The baseline ({args.baseline_label or args.baseline}), interleaved "
        f"run by run with ours: {_figures(theirs)}.",
    ] if args.baseline else []
    lines = [
        "# CLI start-up: `flask --app wsgi --help`",
        "",
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · {platform.machine()} · "
        f"{os.cpu_count()} cores (shared) · Python {platform.python_version()} · "
        f"commit {_commit()} · load average before the run "
        + " / ".join(f"{value:.1f}" for value in load),
        "",
        f"Command: `{command}`",
        "",
        f"`flask --app wsgi --help`, a new process each time, {args.runs} runs: "
        f"{_figures(ours)} (target < 1 s: wall {'met' if median < 1 else 'not met'}, "
        f"CPU {'met' if cpu_median < 1 else 'not met'}). "
        f"`import wsgi` alone (`python -X importtime -c \"import wsgi\"`): {total:.2f} s.",
        *compared,
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
