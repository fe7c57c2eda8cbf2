"""Serving a benchmark app with gunicorn sync workers on 127.0.0.1, as SPEC's figures assume."""
from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def gunicorn(app: str, env: dict, port: int, workers: int = 2, *, wait: float = 30.0,
             timeout: int = 30, stderr=None) -> subprocess.Popen:
    """Start ``benchmarks.apps:<app>`` and return once it answers (any HTTP status counts),
    once it has exited, or after ``wait`` seconds. ``timeout``: gunicorn's worker timeout;
    ``stderr``: a file for the server's log lines (default: this process's stderr)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(workers), "-k", "sync",
         "-b", f"127.0.0.1:{port}", "--timeout", str(timeout), "--log-level", "warning",
         f"benchmarks.apps:{app}"],
        cwd=ROOT, env={**env, "BENCH_APP": app}, stderr=stderr,
    )
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            break
        except urllib.error.HTTPError:
            break  # it answers: a 404 or 503 on / is still a running server
        except OSError:
            time.sleep(0.1)
    return process
