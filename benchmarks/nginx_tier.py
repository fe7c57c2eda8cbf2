"""Behind the documented nginx config: the article page against nginx serving its bytes from a file.

One nginx, rendered from deploy/nginx.conf, in front of gunicorn: the reference is the same
article page's HTML (fetched once from the app) saved in the media folder and served by that
nginx from disk; the measured figure is the article page through the proxy and its
microcache. The home page, which the microcache may store today, is measured the same way.
Run alone: ``python -m benchmarks nginx_tier`` (needs wrk and nginx: apt-get install wrk nginx).
"""
from __future__ import annotations

import urllib.request

from benchmarks import nginx
from benchmarks.data import SLUG
from benchmarks.harness import Figure, Run, served, throughput_table, write_report

HOST = "news.example"


def run(run: Run) -> None:
    prefix = run.scratch / "nginx"
    # The app behind its one trusted proxy, as deploy/nginx.conf expects, answering for the
    # host nginx serves (any other Host gets the app's 400 page, which is not what to measure).
    env = run.env(run.database(), NEWSROOM_TRUSTED_HOSTS=HOST, NEWSROOM_PROXY_FIX="1")
    with served("newsroom", env) as upstream:
        values = nginx.local_values(prefix, upstream.removeprefix("http://"))
        with nginx.running(prefix, values) as base:
            headers = {"Host": HOST}
            page, home_page = (_fetch(base, path) for path in (f"/articles/{SLUG}", "/"))
            (prefix / "media" / "article.html").write_bytes(page)
            (prefix / "media" / "home.html").write_bytes(home_page)
            from_file = run.measure(f"{base}/media/article.html", headers=headers)
            proxied = run.measure(f"{base}/articles/{SLUG}", headers=headers)
            home_file = run.measure(f"{base}/media/home.html", headers=headers)
            home = run.measure(f"{base}/", headers=headers)
            statuses = {path: _cache_status(base, path) for path in (f"/articles/{SLUG}", "/")}
    rows = [
        ("nginx serving the article page's bytes from a file", from_file, "–", None, None),
        ("article page behind deploy/nginx.conf", proxied, "its bytes from a file", from_file, 0.5),
        ("nginx serving the home page's bytes from a file", home_file, "–", None, None),
        ("home page behind deploy/nginx.conf", home, "its bytes from a file", home_file, None),
    ]
    write_report(run, "nginx_tier", "Behind the documented nginx config", [
        "Set-up: Debian's nginx with deploy/nginx.conf rendered for 127.0.0.1 (worker_processes "
        f"auto), in front of gunicorn with 2 sync workers on {run.dialect()}; wrk -t2 -c32 "
        f"-d{run.settings.duration} after a discarded {run.settings.warmup} warm-up, median of "
        f"{run.settings.repeat}, no cookies, no compression asked for.",
        f"The files: the article page with 100 approved comments ({len(page):,} bytes) and the "
        f"home page ({len(home_page):,} bytes), as the app served them.",
        "X-Cache-Status of a second request after the run: "
        + ", ".join(f"`{path}` {status}" for path, status in statuses.items()) + ".",
    ], throughput_table(rows), [
        "The article and home pages are the same bytes for every anonymous reader (the reply "
        "form fetches its CSRF token from /session/form) and are sent public, s-maxage=1: "
        "the microcache keeps each for a second, so about one request a second reaches "
        "gunicorn.",
    ])
    run.figures.append(Figure("behind the documented nginx config",
                              f"{proxied.ratio(from_file):.3f} × nginx from a file",
                              "≥ 0.5", proxied.ratio(from_file) >= 0.5))


def _fetch(base: str, path: str) -> bytes:
    """The page's bytes as nginx serves them to an anonymous reader."""
    request = urllib.request.Request(base + path, headers={"Host": HOST})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read()


def _cache_status(base: str, path: str) -> str:
    request = urllib.request.Request(base + path, headers={"Host": HOST})
    urllib.request.urlopen(request, timeout=30).read()
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers.get("X-Cache-Status", "none")


if __name__ == "__main__":
    from benchmarks.__main__ import main

    main(["nginx_tier"])
