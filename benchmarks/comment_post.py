"""Reply POSTs per second on SQLite, rate limits off, through the real form and policy.

Run: ``.venv/bin/python -m benchmarks.comment_post`` (needs ``wrk``: apt-get install wrk).
Serves the app with gunicorn (2 sync workers) on 127.0.0.1, takes one session cookie, CSRF
token and form token from the article page, then has wrk (2 threads, 32 connections) POST
replies to ``/articles/<slug>/comments``, every one with its own name, email and text so the
duplicate rule never refuses one. Bounded: BENCH_DURATION (default 10s) and at most
BENCH_MAX_REQUESTS per wrk thread. Writes benchmarks/results/comment_post.md.
"""
from __future__ import annotations

import html
import os
import platform
import re
import subprocess
import tempfile
import urllib.request
from datetime import datetime, timezone
from pathlib import Path

from benchmarks.article_page import SLUG, prepare_database
from benchmarks.serving import gunicorn

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "comment_post.md"
DURATION = os.environ.get("BENCH_DURATION", "10s")
MAX_REQUESTS = int(os.environ.get("BENCH_MAX_REQUESTS", "100000"))
CONNECTIONS = 32
PORT = 8760

#: wrk script: every request a new reader and a new text; a thread stops after MAX requests.
LUA = """
local counter, thread_id, done = 0, 0, 0
local threads = {}
function setup(thread)
  thread:set("thread_id", #threads)
  table.insert(threads, thread)
end
function init(args) thread_id = tonumber(wrk.thread:get("thread_id")) end
function request()
  counter = counter + 1
  local who = thread_id .. "-" .. counter
  local body = "name=Bench+Reader+" .. who .. "&email=bench" .. who .. "%40example.org"
    .. "&website=&company=&parent_id=&csrf_token=" .. CSRF .. "&form_token=" .. FORM
    .. "&body=Reply+number+" .. who .. "+about+the+ferry+timetable."
  return wrk.format("POST", PATH, HEADERS, body)
end
function response(status, headers, body)
  done = done + 1
  if done >= MAX then wrk.thread:stop() end
end
"""


def form_credentials(port: int) -> tuple[str, str, str]:
    """The session cookie, CSRF token and form token a reader's browser would hold."""
    response = urllib.request.urlopen(f"http://127.0.0.1:{port}/articles/{SLUG}", timeout=5)
    page = response.read().decode()
    cookie = response.headers["Set-Cookie"].split(";")[0]
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    form = re.search(r'name="form_token" type="hidden" value="([^"]+)"', page).group(1)
    return cookie, html.unescape(csrf), html.unescape(form)


def lua_script(port: int, path: Path) -> None:
    from urllib.parse import quote

    cookie, csrf, form = form_credentials(port)
    headers = (
        '{["Content-Type"] = "application/x-www-form-urlencoded", '
        f'["Cookie"] = "{cookie}"}}'
    )
    prelude = (
        f'CSRF = "{quote(csrf, safe="")}"\nFORM = "{quote(form, safe="")}"\n'
        f'PATH = "/articles/{SLUG}/comments"\nHEADERS = {headers}\nMAX = {MAX_REQUESTS}\n'
    )
    path.write_text(prelude + LUA)


def serve(env: dict, workers: int, app: str = "newsroom") -> subprocess.Popen:
    """gunicorn with ``workers`` sync workers on 127.0.0.1:PORT, once it answers."""
    return gunicorn(app, env, PORT, workers)


def run_wrk(script: Path | None, connections: int, path: str) -> dict[str, str]:
    threads = min(2, connections)
    output = subprocess.run(
        ["wrk", f"-t{threads}", f"-c{connections}", f"-d{DURATION}", "--latency",
         *(["-s", str(script)] if script else []), f"http://127.0.0.1:{PORT}{path}"],
        capture_output=True, text=True, check=True, timeout=600,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": re.search(r"Requests/sec:\s+([\d.]+)", output).group(1),
        "requests": re.search(r"(\d+) requests in", output).group(1),
        "p50": re.search(r"50%\s+([\d.]+\w+)", output).group(1),
        "p99": re.search(r"99%\s+([\d.]+\w+)", output).group(1),
        "non2xx3xx": errors.group(1) if errors else "0",
        "socket_errors": socket_errors.group(1) if socket_errors else "none",
    }


def stored(url: str) -> dict[str, int]:
    """Comments the run stored, by status (the 100 approved ones it started with excluded)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT status, count(*) FROM comments "
                "WHERE author_email LIKE 'bench%' GROUP BY status"
            )
        ).all()
    engine.dispose()
    return {status: count for status, count in rows}


#: (label, gunicorn workers, wrk connections); the first is the SPEC's set-up.
RUNS = [
    ("2 workers, 32 connections", 2, CONNECTIONS),
    ("1 worker, 1 connection (service time, no lock contention)", 1, 1),
]


def main() -> None:
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())  # others' work skews figures
    rows = []
    for label, workers, connections in RUNS:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{tmp}/bench.db"
            prepare_database(url)
            env = {
                **os.environ,
                "NEWSROOM_SECRET_KEY": "bench",
                "NEWSROOM_DATABASE_URL": url,
                "NEWSROOM_RATELIMIT_ENABLED": "false",
            }
            process = serve(env, workers)
            try:
                script = Path(tmp) / "post.lua"
                lua_script(PORT, script)
                result = run_wrk(script, connections, f"/articles/{SLUG}/comments")
            finally:
                process.terminate()
                process.wait(timeout=10)
            rows.append((label, result, stored(url)))
    write_report(rows, hello_world(), load)


def hello_world() -> dict[str, str]:
    """A Flask hello world on the same server set-up: the yardstick the SPEC's peers use."""
    process = serve(dict(os.environ), 2, app="hello")
    try:
        return run_wrk(None, CONNECTIONS, "/")
    finally:
        process.terminate()
        process.wait(timeout=10)


def write_report(rows, hello: dict[str, str], load: str) -> None:
    rps, hello_rps = float(rows[0][1]["rps"]), float(hello["rps"])
    verdict = "meets" if rps >= 1000 else "does not meet"
    lines = [
        "# Comment POST throughput",
        "",
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · {platform.machine()} · "
        f"{os.cpu_count()} cores · Python {platform.python_version()} · SQLite (WAL) · "
        f"rate limits off · load average before the run {load}",
        "",
        f"gunicorn sync workers on 127.0.0.1; wrk for {DURATION} per run (at most "
        f"{MAX_REQUESTS:,} requests per wrk thread), on the same machine. Each POST is a new "
        "reader with a new text, with a valid session cookie, CSRF token and form token; the "
        "full path runs: form validation, sanitising, the policy's look-up (one query), the "
        "comment and its decision written, commit, 302.",
        "Command: `.venv/bin/python -m benchmarks.comment_post`",
        "",
        "| run | POSTs/s | requests | p50 | p99 | non-2xx/3xx | socket errors | stored |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for label, result, counts in rows:
        lines.append(
            f"| {label} | {float(result['rps']):,.0f} | {int(result['requests']):,} | "
            f"{result['p50']} | {result['p99']} | {result['non2xx3xx']} | "
            f"{result['socket_errors']} | "
            f"{', '.join(f'{k} {v:,}' for k, v in sorted(counts.items())) or 'none'} |"
        )
    lines += [
        "",
        f"Flask hello world, same set-up (2 workers, {CONNECTIONS} connections): "
        f"{hello_rps:,.0f} req/s, p50 {hello['p50']}. "
        f"POSTs/s ÷ hello world = {rps / hello_rps:.3f} "
        f"(the SPEC's peers: hello world ~7,200 req/s, so its 1,000 POSTs/s is a ratio of 0.139; "
        f"at this run's ratio that machine would do ~{rps / hello_rps * 7200:,.0f} POSTs/s).",
        "",
        f"Target (SPEC): ≥ 1,000 POSTs/s on SQLite with rate limits off, 2 workers — this run "
        f"{verdict} it.",
    ]
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
