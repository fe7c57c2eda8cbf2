"""Worker memory over 100,000 mixed requests: RSS of each gunicorn worker, sampled every 10,000.

The mix, sent by wrk (2 threads, 32 connections) in rounds of about 10,000: the three
benchmark articles (100, 10,000 and 10 comments; two comment pages of the long one), the
home page and its second page, the three section pages, the feeds, the sitemap, an API
answer, and one comment POST in twenty. Between rounds each worker's VmRSS is read from
/proc/<pid>/status. Growth is measured from the first sample after 10,000 requests (imports
done, caches filled) to the last; the target is under 10 %. --quick: 5,000 requests,
sampled about every 1,000. Run alone: ``python -m benchmarks memory``.
"""
from __future__ import annotations

from pathlib import Path

from benchmarks.comment_post import lua_script
from benchmarks.data import LONG_SLUG, SHORT_SLUG, SLUG
from benchmarks.harness import Figure, Run, served, wrk, write_report

#: Mostly the common article page, as real traffic is; the long thread one request in nine.
PATHS = [
    f"/articles/{SLUG}", "/", f"/articles/{SHORT_SLUG}", "/sections/news", f"/articles/{SLUG}",
    "/feed.xml", "/sections/harbour", f"/articles/{SLUG}", f"/articles/{LONG_SLUG}", "/?page=2",
    "/sections/culture", f"/articles/{SLUG}", "/atom.xml", f"/api/v1/articles/{SLUG}",
    f"/articles/{SLUG}", f"/articles/{LONG_SLUG}?cpage=7", "/sections/news/feed.xml",
    "/sitemap.xml",
]
POST_EVERY = 20


def worker_pids(master: int) -> list[int]:
    """The gunicorn master's children (its workers)."""
    children = Path(f"/proc/{master}/task/{master}/children")
    if children.exists():
        return sorted(int(pid) for pid in children.read_text().split())
    return sorted(int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()
                  and _ppid(p) == master)


def _ppid(proc: Path) -> int | None:
    try:
        return int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, IndexError, ValueError):
        return None


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def run(run: Run) -> None:
    total, every = (5_000, 1_000) if run.settings.quick else (100_000, 10_000)
    database = run.fresh_database("memory", long_thread=True)
    samples, sent, errors, seconds, round_ = [], 0, 0, 3, 0
    with served("newsroom", run.env(database), with_process=True) as (base, process):
        workers = worker_pids(process.pid)
        samples.append((0, [rss_kib(pid) for pid in workers]))
        while sent < total:
            # Rounds end by time, all wrk threads at once: a thread stopped early would keep
            # idle connections a sync worker waits on. Each round is sized from the rate seen.
            script = lua_script(base, run.scratch / f"mix-{round_}.lua", 10**9,
                                every=POST_EVERY, paths=PATHS, run_id=str(round_))
            result = wrk(base + "/", f"{seconds}s", script=script)
            sent, errors, round_ = sent + result.requests, errors + result.non2xx3xx, round_ + 1
            if worker_pids(process.pid) != workers:
                raise RuntimeError("a gunicorn worker was replaced during the soak")
            samples.append((sent, [rss_kib(pid) for pid in workers]))
            rate = max(result.requests / seconds, 1.0)
            seconds = max(1, round(min(every, total - sent) / rate))
    _report(run, samples, workers, sent, errors, every)


def _report(run: Run, samples, workers, sent: int, errors: int, per_round: int) -> None:
    table = ["| requests sent | " + " | ".join(f"worker {n + 1} RSS (MiB)" for n in range(len(workers))) + " |",
             "|---:|" + "---:|" * len(workers)]
    for count, sizes in samples:
        table.append(f"| {count:,} | " + " | ".join(f"{kib / 1024:.1f}" for kib in sizes) + " |")
    first = next((sizes for count, sizes in samples if count >= per_round), samples[-1][1])
    last = samples[-1][1]
    growth = [100 * (b - a) / a for a, b in zip(first, last)]
    from_start = [100 * (b - a) / a for a, b in zip(samples[0][1], last)]
    worst = max(growth)
    write_report(run, "memory", "Worker memory over mixed requests", [
        f"Set-up: gunicorn, 2 sync workers, SQLite, page cache on, rate limits off; wrk -t2 -c32, "
        f"{len(samples) - 1} rounds (a short first one, then about {per_round:,} requests "
        f"each; {sent:,} in all, "
        f"{errors:,} answered other than 2xx/3xx): {len(PATHS)} pages in turn and every "
        f"{POST_EVERY}th request a comment POST.",
        f"Growth per worker, from the first sample after {per_round:,} requests to the last: "
        + ", ".join(f"{value:+.1f} %" for value in growth)
        + "; from start-up (before any request): "
        + ", ".join(f"{value:+.1f} %" for value in from_start) + ".",
    ], table)
    run.figures.append(Figure("worker memory", f"{worst:+.1f} % RSS growth over {sent:,} requests "
                              "(worst worker)", "< 10 %", worst < 10))


if __name__ == "__main__":
    from benchmarks.__main__ import main

    main(["memory"])
