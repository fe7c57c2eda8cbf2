"""Instructions per reply POST, counted by valgrind's callgrind: a figure the host's speed does
not move.

Run: ``.venv/bin/python -m benchmarks.post_instructions [--posts 100] [--baseline DIR]``.
wrk's POSTs per second on this shared machine swing by ±15 % between runs of the same code,
so a change of a few per cent is measured here instead: the app answers POSTs in process,
through its WSGI callable with the request the comment_post benchmark sends (session cookie,
CSRF and form tokens, a new reader and text each time), and callgrind counts only the
``--posts`` answers after 100 warm-up ones (``callgrind_control`` switches counting on and
off around them). ``--baseline DIR``: a checkout of another commit (``git archive <commit> |
tar -x -C DIR``), counted the same way. Writes benchmarks/results/post_instructions.md.
Needs valgrind (Debian's package).
"""
from __future__ import annotations

import argparse
import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

from benchmarks.harness import commit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "post_instructions.md"
WARM_UP = 100


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.post_instructions",
                                     description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=100, help="POSTs counted (default 100)")
    parser.add_argument("--baseline", type=Path, help="a checkout of another commit")
    parser.add_argument("--baseline-commit", default="?", help="the commit it holds, for the table")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _answer_posts(args.posts)
    if shutil.which("valgrind") is None:
        sys.exit("python -m benchmarks.post_instructions: needs valgrind "
                 "(apt-get install valgrind)")
    rows = [("this checkout", commit(), count(ROOT, args.posts))]
    if args.baseline:
        rows.append(("baseline", args.baseline_commit, count(args.baseline, args.posts)))
    _write(rows, args)
    return 0


def count(checkout: Path, posts: int) -> float:
    """Million instructions per POST for the app in ``checkout``."""
    with tempfile.TemporaryDirectory(prefix="newsroom-instr-") as folder:
        out = Path(folder) / "callgrind.out"
        result = subprocess.run(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no",
             f"--callgrind-out-file={out}", sys.executable, __file__, "--child",
             "--posts", str(posts)],  # this file, run on the checkout's own app and data
            cwd=checkout, capture_output=True, text=True, timeout=1800,
            env={**os.environ, "PYTHONPATH": str(checkout), "BENCH_FOLDER": folder},
        )
        collected = re.findall(r"Collected : (\d+)", result.stderr)
        if result.returncode != 0 or not collected:
            sys.exit(f"the counted run failed in {checkout}: {result.stderr.strip()[-400:]}")
        return int(collected[-1]) / posts / 1e6


def _answer_posts(posts: int) -> int:
    """In the valgrind child: warm up, then answer ``posts`` POSTs with counting on."""
    from benchmarks.data import SLUG, prepare_database

    folder = os.environ.get("BENCH_FOLDER") or tempfile.mkdtemp()
    url = f"sqlite:///{folder}/post.db"
    prepare_database(url, long_thread=False)
    os.environ.update(NEWSROOM_SECRET_KEY="bench", NEWSROOM_DATABASE_URL=url,
                      NEWSROOM_RATELIMIT_ENABLED="false")
    logging.disable(logging.WARNING)
    from newsroom import create_app

    app = create_app()
    client = app.test_client()
    page = client.get(f"/articles/{SLUG}").get_data(as_text=True)
    article_id = re.search(r'data-session="/session/form\?article=(\d+)"', page).group(1)
    tokens = json.loads(client.get(f"/session/form?article={article_id}").get_data())
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"]).value
    for number in range(WARM_UP):
        _post(app, SLUG, cookie, tokens, f"w{number}")
    toggle = ["callgrind_control", "--instr={}", str(os.getpid())]
    subprocess.run([part.format("on") for part in toggle], capture_output=True, check=False)
    for number in range(posts):
        _post(app, SLUG, cookie, tokens, f"c{number}")
    subprocess.run([part.format("off") for part in toggle], capture_output=True, check=False)
    return 0


def _post(app, slug: str, cookie: str, tokens: dict, who: str) -> None:
    """One reply POST, as gunicorn would hand it to the app (the comment_post request)."""
    body = (f"name=Bench+Reader+{who}&email=bench{who}%40example.org&website=&company="
            f"&parent_id=&csrf_token={quote(tokens['csrf_token'], safe='')}"
            f"&form_token={quote(tokens['form_token'], safe='')}"
            f"&body=Reply+number+{who}+about+the+ferry+timetable.").encode()
    environ = {
        "REQUEST_METHOD": "POST", "SCRIPT_NAME": "", "PATH_INFO": f"/articles/{slug}/comments",
        "QUERY_STRING": "", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "127.0.0.1:8000",
        "HTTP_COOKIE": f"{app.config['SESSION_COOKIE_NAME']}={cookie}",
        "HTTP_USER_AGENT": "wrk", "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": str(len(body)), "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(body), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
        "wsgi.version": (1, 0), "wsgi.multithread": False, "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    statuses = []
    answer = app(environ, lambda status, headers, exc_info=None: statuses.append(status))
    b"".join(answer)
    getattr(answer, "close", lambda: None)()
    if not statuses[0].startswith("303"):
        raise SystemExit(f"a POST was answered {statuses[0]}, not 303")


def _write(rows: list[tuple[str, str, float]], args) -> None:
    command = "python -m benchmarks.post_instructions" + (
        f" --posts {args.posts}" if args.posts != 100 else "") + (
        f" --baseline {args.baseline} --baseline-commit {args.baseline_commit}"
        if args.baseline else "")
    lines = [
        "# Instructions per reply POST (callgrind)", "",
        f"- Date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- Command: `{command}`",
        f"- Counted: {args.posts} POSTs in process after {WARM_UP} warm-up ones, SQLite, rate "
        "limits off, the comment_post benchmark's request (no HTTP server: gunicorn's own share "
        "is not in the count).", "",
        "| checkout | commit | million instructions per POST |", "|---|---|---:|",
        *(f"| {name} | {commit} | {value:.2f} |" for name, commit, value in rows),
    ]
    if len(rows) == 2:
        lines += ["", f"This checkout: {rows[0][2] / rows[1][2]:.3f} × the baseline's count."]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    raise SystemExit(main())
