"""What every benchmark shares: settings, wrk runs, references measured once, and the reports.

A :class:`Run` is one invocation of ``python -m benchmarks``: it measures each reference
(the Flask hello world, the prepared database) at most once, so every ratio in every table
is taken against a reference from the same run.
"""
from __future__ import annotations

import os
import platform
import re
import shutil
import sqlite3
import subprocess
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from benchmarks.nginx import free_port
from benchmarks.serving import gunicorn

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
CONNECTIONS = 32


@dataclass
class Settings:
    """How long and how often to measure; ``quick`` is for the harness's own smoke test."""

    duration: str = "10s"
    warmup: str = "3s"
    repeat: int = 1
    quick: bool = False
    note: str = ""
    results: Path = RESULTS
    command: str = "python -m benchmarks"
    #: An empty database to fill for the read benchmarks (e.g. PostgreSQL); None: SQLite.
    database: str | None = None

    @classmethod
    def make(cls, quick: bool = False, **values) -> "Settings":
        values = {key: value for key, value in values.items() if value is not None}
        if quick:
            values.setdefault("duration", "1s")
            values.setdefault("warmup", "1s")
        return cls(quick=quick, **values)


@dataclass
class Result:
    """One wrk run."""

    rps: float
    requests: int
    p50: str
    p99: str
    non2xx3xx: int
    socket_errors: str

    def ratio(self, reference: "Result") -> float:
        return self.rps / reference.rps if reference.rps else float("nan")


def wrk(url: str, duration: str, *, connections: int = CONNECTIONS, script: Path | None = None,
        headers: dict[str, str] | None = None, timeout: float = 900) -> Result:
    """Load ``url`` with wrk (2 threads) for ``duration``; bounded by ``timeout`` seconds.

    wrk's own request timeout is 10 s, not its 2 s default: a slow page on a busy machine is
    counted as slow, not dropped as a socket error.
    """
    command = ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}",
               "--timeout", "10s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True,
                            timeout=timeout).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return Result(
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        requests=int(re.search(r"(\d+) requests in", output).group(1)),
        p50=re.search(r"50%\s+([\d.]+\w+)", output).group(1),
        p99=re.search(r"99%\s+([\d.]+\w+)", output).group(1),
        non2xx3xx=int(errors.group(1)) if errors else 0,
        socket_errors=socket_errors.group(1).strip() if socket_errors else "none",
    )


@dataclass
class Figure:
    """One line of the issue's table, for results/summary.md."""

    what: str
    measured: str
    target: str
    met: bool | None


@dataclass
class Run:
    """One invocation: its settings, a scratch folder, and the references measured so far."""

    settings: Settings
    scratch: Path
    figures: list[Figure] = field(default_factory=list)
    _hello: Result | None = None
    _database: str | None = None

    def measure(self, url: str, **options) -> Result:
        """A discarded warm-up, then the median (by req/s) of ``repeat`` runs."""
        wrk(url, self.settings.warmup, **options)
        results = [wrk(url, self.settings.duration, **options) for _ in range(self.settings.repeat)]
        return sorted(results, key=lambda r: r.rps)[len(results) // 2]

    def hello(self) -> Result:
        """The Flask hello world on the same server set-up (the SPEC's yardstick)."""
        if self._hello is None:
            with served("hello", {}) as base:
                self._hello = self.measure(base + "/")
        return self._hello

    def hello_now(self) -> Result:
        """The hello world measured now (a warm-up, then one run), for a figure that needs
        its reference close in time; :meth:`hello` is measured once per invocation."""
        with served("hello", {}) as base:
            wrk(base + "/", self.settings.warmup)
            return wrk(base + "/", self.settings.duration)

    def database(self) -> str:
        """The shared read-only benchmark database (see benchmarks/data.py), built once."""
        if self._database is None:
            from benchmarks.data import prepare_database

            self._database = self.settings.database or f"sqlite:///{self.scratch / 'bench.db'}"
            prepare_database(self._database, long_thread=True)
        return self._database

    def dialect(self) -> str:
        """The read benchmarks' database, as the tables name it."""
        scheme = (self.settings.database or "sqlite").split(":")[0].split("+")[0]
        return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(scheme, scheme)

    def fresh_database(self, name: str, long_thread: bool = False) -> str:
        """A database of its own for a benchmark that writes (comment POSTs, the soak)."""
        from benchmarks.data import prepare_database

        url = f"sqlite:///{self.scratch / (name + '.db')}"
        prepare_database(url, long_thread=long_thread)
        return url

    def env(self, database: str, **settings: str) -> dict[str, str]:
        """The app's environment for gunicorn: this database, rate limits off."""
        from benchmarks.data import SLUG

        return {"NEWSROOM_SECRET_KEY": "bench", "NEWSROOM_DATABASE_URL": database,
                "NEWSROOM_RATELIMIT_ENABLED": "false", "BENCH_ARTICLE_SLUG": SLUG, **settings}


@contextmanager
def served(app: str, env: dict[str, str], workers: int = 2, with_process: bool = False):
    """``benchmarks.apps:<app>`` under gunicorn on a free port; yields its base URL (and the
    gunicorn master's Popen with ``with_process``)."""
    port = free_port()
    process = gunicorn(app, {**os.environ, **env}, port, workers)
    try:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn for {app} exited with {process.returncode}")
        base = f"http://127.0.0.1:{port}"
        yield (base, process) if with_process else base
    finally:
        process.terminate()
        process.wait(timeout=30)


@contextmanager
def scratch_folder():
    folder = Path(tempfile.mkdtemp(prefix="newsroom-bench-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def commit() -> str:
    """The short commit, marked when the working tree has changes outside benchmarks/results."""
    def git(*args):
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout
    head = git("rev-parse", "--short", "HEAD").strip() or "unknown"
    changed = [line for line in git("status", "--porcelain").splitlines()
               if "benchmarks/results/" not in line]
    return head + (" (with uncommitted changes)" if changed else "")


def machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return (f"{platform.system()} {platform.release()}, {os.cpu_count()} CPUs ({model}), "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"{_version(['wrk', '-v'])}, {_version(['/usr/sbin/nginx', '-v'])}")


def _version(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=5)
    except OSError:
        return f"{Path(command[0]).name} not installed"
    text = (done.stdout + done.stderr).strip().splitlines()
    return text[0].split(" [")[0].replace("nginx version: ", "") if text else command[0]


def write_report(run: Run, name: str, title: str, method: list[str], table: list[str],
                 notes: list[str] = ()) -> Path:
    """benchmarks/results/<name>.md: the header every table carries, then the table."""
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    header = [
        f"# {title}", "",
        f"- Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine()}",
        f"- Commit: {commit()}",
        f"- Command: `{run.settings.command}`",
        f"- Load average when written: {load}",
    ]
    if run.settings.note:
        header.append(f"- Note: {run.settings.note}")
    if run.settings.quick:
        header.append("- Quick run (--quick): short durations, for checking the harness only.")
    lines = [*header, *(f"- {line}" for line in method), "", *table]
    if notes:
        lines += ["", *notes]
    path = run.settings.results / f"{name}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n")
    print("\n".join(lines) + "\n")
    return path


def throughput_table(rows: list[tuple[str, Result, str, Result | None, float | None]]) -> list[str]:
    """Rows of (what, result, reference name, reference, target ratio) as a markdown table."""
    lines = ["| what | req/s | reference | ratio | target | p50 | p99 | non-2xx/3xx | socket errors |",
             "|---|---:|---|---:|---:|---:|---:|---:|---|"]
    for what, result, ref_name, reference, target in rows:
        ratio = f"{result.ratio(reference):.2f}" if reference else "–"
        goal = f"≥ {target:g}" if target is not None else "–"
        lines.append(f"| {what} | {result.rps:,.0f} | {ref_name} | {ratio} | {goal} | "
                     f"{result.p50} | {result.p99} | {result.non2xx3xx} | {result.socket_errors} |")
    return lines

