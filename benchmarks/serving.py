"""Serving a benchmark app with gunicorn sync workers on 127.0.0.1, as SPEC's figures assume."""
from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def gunicorn(app: str, env: dict, port: int, workers: int = 2, stderr=None) -> subprocess.Popen:
    """Start ``benchmarks.apps:<app>`` and return once it answers (or after ~10 s).

    ``stderr``: a file for the server's log lines (default: this process's stderr).
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "sync",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", f"benchmarks.apps:{app}"],
        cwd=ROOT, env={**env, "BENCH_APP": app}, stderr=stderr,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    return process
