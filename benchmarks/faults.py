"""Comment POSTs and reader pages while things break: a worker, Redis, an app server.

Run: ``.venv/bin/python -m benchmarks.faults`` (needs PostgreSQL on 127.0.0.1:5432 as user
postgres, and redis-server). Creates a throw-away database ``newsroom_faults_<pid>`` (dropped
at the end), starts its own redis-server on a free port (stopped by its PID) and two app servers
(gunicorn, 2 sync workers each, on free ports) sharing both, then for a bounded time has poster
threads send replies to both servers and a reader thread fetch the article page from both,
while it (a) ``kill -9``s one worker of server A, (b) stops its Redis and starts it again,
(c) restarts server B. Every reply carries its own email address, so the database says which
acknowledged replies (303/302) were stored, lost or stored twice. Loopback only. Writes
benchmarks/results/faults.md.
"""
from __future__ import annotations

import argparse
import http.client
import os
import platform
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.article_page import SLUG, prepare_database
from benchmarks.comment_post import form_credentials
from benchmarks.serving import gunicorn

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "faults.md"
ADMIN_URL = os.environ.get("BENCH_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")
POSTERS = 4
#: (phase, seconds it lasts once its fault is applied); the whole run is bounded by these.
TIMELINE = [("baseline", 6), ("worker killed (A)", 8), ("Redis down", 10), ("Redis back", 8),
            ("server B restarting", 0), ("after B restart", 6)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Run:
    """Shared state: the current phase and every answer, by phase."""

    def __init__(self):
        self.phase = "start"
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.posts: list[tuple[str, str, str, str]] = []  # (phase, server, email, outcome)
        self.reads: list[tuple[str, str, str]] = []  # (phase, server, outcome)

    def record_post(self, *row) -> None:
        with self.lock:
            self.posts.append(row)

    def record_read(self, *row) -> None:
        with self.lock:
            self.reads.append(row)


def request(port: int, method: str, path: str, body: str | None = None, headers=None) -> str:
    """One request on a new connection; the status code, or the kind of failure."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        return str(connection.getresponse().status)
    except (OSError, http.client.HTTPException) as error:
        return type(error).__name__
    finally:
        connection.close()


def poster(run: Run, number: int, ports: dict[str, int], credentials) -> None:
    cookie, csrf, form = credentials
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    sent = 0
    while not run.stop.is_set() and sent < 100_000:
        sent += 1
        server = "A" if sent % 2 else "B"
        email = f"fault{number}-{sent}@example.org"
        body = urlencode({
            "name": f"Fault Reader {number}-{sent}", "email": email, "website": "",
            "company": "", "parent_id": "", "csrf_token": csrf, "form_token": form,
            "body": f"Reply {number}-{sent} about the ferry timetable.",
        })
        phase = run.phase
        outcome = request(ports[server], "POST", f"/articles/{SLUG}/comments", body, headers)
        run.record_post(phase, server, email, outcome)


def reader(run: Run, ports: dict[str, int]) -> None:
    fetched = 0
    while not run.stop.is_set() and fetched < 100_000:
        fetched += 1
        server = "A" if fetched % 2 else "B"
        phase = run.phase
        run.record_read(phase, server, request(ports[server], "GET", f"/articles/{SLUG}"))
        time.sleep(0.02)


class Redis:
    """The run's own redis-server, started and stopped by its PID."""

    def __init__(self, port: int):
        self.port, self.process = port, None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


def workers_of(master: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def create_database(name: str) -> str:
    from sqlalchemy import create_engine, text

    engine = create_engine(f"{ADMIN_URL}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return f"{ADMIN_URL}/{name}"


def drop_database(name: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(f"{ADMIN_URL}/postgres", isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def stored_replies(url: str) -> Counter:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT author_email, count(*) FROM comments WHERE author_email LIKE 'fault%' "
            "GROUP BY author_email"
        )).all()
    engine.dispose()
    return Counter({email: count for email, count in rows})


def main(argv: list[str] | None = None) -> None:
    argparse.ArgumentParser(
        prog="python -m benchmarks.faults",
        description="Replies and reader pages at two app servers while a worker is killed, "
        "the script's own Redis stops and starts, and one server restarts; writes "
        f"{RESULTS.relative_to(ROOT)}. Takes no options.",
    ).parse_args(argv)
    load = " / ".join(f"{value:.1f}" for value in os.getloadavg())
    name = f"newsroom_faults_{os.getpid()}"
    url = create_database(name)
    redis = Redis(free_port())
    servers: dict[str, subprocess.Popen] = {}
    ports = {"A": free_port(), "B": free_port()}
    logs = tempfile.TemporaryDirectory()
    try:
        prepare_database(url, comments=20)
        redis.start()
        env = {
            **os.environ, "NEWSROOM_SECRET_KEY": "faults-bench", "NEWSROOM_DATABASE_URL": url,
            "NEWSROOM_REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
            "NEWSROOM_SITE_URL": "http://news.faults.example",
            "NEWSROOM_COMMENT_RATE_LIMIT": "100000 per minute",  # on, in Redis, never reached
        }
        log_files = {key: open(Path(logs.name) / f"{key}.log", "ab") for key in ports}
        for key, port in ports.items():
            servers[key] = gunicorn("newsroom", env, port, workers=2, stderr=log_files[key])
        run = Run()
        started = time.monotonic()
        timings = exercise(run, servers, ports, redis, env, log_files)
        duration = time.monotonic() - started
        stored = stored_replies(url)
        degraded = {key: (Path(logs.name) / f"{key}.log").read_text(errors="replace")
                    .count("Redis unreachable") for key in ports}
        write_report(run, stored, timings, duration, degraded, load)
    finally:
        for process in servers.values():
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
        redis.stop()
        drop_database(name)
        logs.cleanup()


def exercise(run, servers, ports, redis, env, log_files) -> dict[str, float]:
    """Load both servers and apply the faults on the timeline; returns phase lengths."""
    credentials = form_credentials(f"http://127.0.0.1:{ports['A']}")
    threads = [threading.Thread(target=poster, args=(run, n, ports, credentials))
               for n in range(POSTERS)]
    threads.append(threading.Thread(target=reader, args=(run, ports)))
    timings = {}
    for thread in threads:
        thread.start()
    try:
        for phase, seconds in TIMELINE:
            started = time.monotonic()
            run.phase = phase
            if phase == "worker killed (A)":
                os.kill(workers_of(servers["A"])[0], signal.SIGKILL)
            elif phase == "Redis down":
                redis.stop()
            elif phase == "Redis back":
                redis.start()
            elif phase == "server B restarting":
                servers["B"].terminate()
                servers["B"].wait(timeout=30)
                servers["B"] = gunicorn("newsroom", env, ports["B"], workers=2,
                                        stderr=log_files["B"])
            time.sleep(seconds)
            timings[phase] = time.monotonic() - started
    finally:
        run.stop.set()
        for thread in threads:
            thread.join(timeout=30)
    return timings


def write_report(run: Run, stored: Counter, timings, duration, degraded, load) -> None:
    acknowledged = {email for _p, _s, email, outcome in run.posts if outcome in ("302", "303")}
    lost = acknowledged - set(stored)
    duplicates = sum(1 for count in stored.values() if count > 1)
    unacknowledged_stored = set(stored) - acknowledged
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    lines = [
        "# Faults: comment POSTs and reader pages while a worker, Redis and a server fail",
        "",
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · {platform.machine()} · "
        f"{os.cpu_count()} cores · Python {platform.python_version()} · commit {commit} · "
        f"load average before the run {load} (other engineers share this machine)",
        "",
        "Command: `.venv/bin/python -m benchmarks.faults`",
        "",
        "Two app servers (gunicorn, 2 sync workers each) on one throw-away PostgreSQL database "
        "and the script's own redis-server (page cache, rate limits, sign-in throttle); "
        f"{POSTERS} poster threads alternate replies between the servers (each reply with its "
        "own email), one reader thread fetches the article page from both. Rate limits on, in "
        "Redis, set high enough never to refuse. Faults: `kill -9` of one of A's workers; "
        "Redis stopped (SIGTERM to its PID) and started again; B stopped and started again.",
        "",
        "| phase | seconds | POSTs | acknowledged (3xx) | 5xx | other answers | "
        "connection errors | page GETs | pages 200 | pages 5xx | page availability |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for phase, _ in TIMELINE:
        lines.append(phase_row(run, phase, timings.get(phase, 0)))
    lines += [
        "",
        "A request counts in the phase in which it was sent (a POST cut off by the `kill -9` "
        "can show under the phase before). Connection errors while B restarts are B refusing "
        "connections while it is down (nothing in front of it retries on A); none of them was "
        "acknowledged, so none can be lost.",
        "",
        f"Run length {duration:.0f} s. POSTs sent {len(run.posts):,}; acknowledged "
        f"{len(acknowledged):,}; rows stored {sum(stored.values()):,}; **acknowledged but not "
        f"stored: {len(lost)}**; **stored twice: {duplicates}**; stored without an "
        f"acknowledgement (the connection broke after the commit): {len(unacknowledged_stored)}.",
        f"'Redis unreachable' lines logged: server A {degraded['A']}, server B "
        f"{degraded['B']} (at most one per worker process per outage).",
        "",
        f"Goal: 0 acknowledged comments lost, 0 duplicates, 0 5xx on reader pages while Redis "
        f"is down — this run: {len(lost)} lost, {duplicates} duplicates, "
        f"{count(run.reads, 'Redis down', five_xx=True)} reader 5xx while Redis was down.",
    ]
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def count(reads, phase: str, five_xx: bool = False) -> int:
    return sum(1 for p, _s, outcome in reads
               if p == phase and (not five_xx or outcome.startswith("5")))


def phase_row(run: Run, phase: str, seconds: float) -> str:
    posts = Counter(kind(outcome) for p, _s, _e, outcome in run.posts if p == phase)
    reads = Counter(kind(outcome) for p, _s, outcome in run.reads if p == phase)
    total_reads = sum(reads.values())
    availability = f"{reads['200'] / total_reads:.1%}" if total_reads else "–"
    return (
        f"| {phase} | {seconds:.1f} | {sum(posts.values()):,} | {posts['3xx']:,} | "
        f"{posts['5xx']:,} | {posts['other']:,} | {posts['connection']:,} | {total_reads:,} | "
        f"{reads['200']:,} | {reads['5xx']:,} | {availability} |"
    )


def kind(outcome: str) -> str:
    if outcome in ("302", "303"):
        return "3xx"
    if outcome == "200":
        return "200"
    if outcome.isdigit():
        return "5xx" if outcome.startswith("5") else "other"
    return "connection"


if __name__ == "__main__":
    main()
