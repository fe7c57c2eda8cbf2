"""The benchmark harness itself (no wrk needed): the query-count benchmark end to end, and refusals."""
from __future__ import annotations

import re
import subprocess

import pytest

from benchmarks import __main__ as harness
from benchmarks import nginx


def test_the_query_benchmark_writes_its_table_with_machine_commit_and_command(tmp_path):
    harness.main(["queries", "--quick", "--results", str(tmp_path)])
    report = (tmp_path / "queries.md").read_text()
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True,
                          text=True, cwd=nginx.ROOT).stdout.strip()
    assert f"- Commit: {head}" in report
    assert re.search(r"- Date: \d{4}-\d\d-\d\d \d\d:\d\d UTC", report)
    assert "- Machine: Linux" in report and "CPUs" in report
    assert f"- Command: `python -m benchmarks queries --quick --results {tmp_path}`" in report
    rows = dict(re.findall(r"^\| ([\d,]+) \| (\d+) \| \d+ \|$", report, re.MULTILINE))
    assert set(rows) == {"10", "10,000"}
    assert "SELECT" in report.split("10,000-comment hit:", 1)[1]
    assert not (tmp_path / "summary.md").exists()  # only a run of everything writes it


def test_an_unknown_benchmark_is_refused(capsys):
    with pytest.raises(SystemExit) as exit_:
        harness.main(["article_pages"])
    assert exit_.value.code != 0
    assert "unknown benchmark 'article_pages'" in capsys.readouterr().err


def test_a_missing_wrk_is_named_before_anything_runs(monkeypatch, tmp_path):
    monkeypatch.setattr(harness.shutil, "which", lambda name: None)
    with pytest.raises(SystemExit) as exit_:
        harness.main(["article_page", "--results", str(tmp_path)])
    assert exit_.value.code == "python -m benchmarks: needs wrk (apt-get install wrk)"
    assert not list(tmp_path.iterdir())


def test_the_nginx_template_must_get_every_placeholder(tmp_path):
    values = nginx.local_values(tmp_path, "127.0.0.1:8000")
    rendered = nginx.render(values)
    assert "@" not in re.sub(r"#.*", "", rendered)
    assert "server 127.0.0.1:8000;" in rendered
    del values["MEDIA_DIR"]
    with pytest.raises(KeyError, match="MEDIA_DIR"):
        nginx.render(values)


def test_the_fault_run_explains_itself_and_starts_nothing_for_help(capsys):
    from benchmarks import faults

    with pytest.raises(SystemExit) as exit_:
        faults.main(["--help"])
    assert exit_.value.code == 0
    assert "benchmarks/results/faults.md" in capsys.readouterr().out


def test_the_fault_run_asks_the_article_page_of_server_a_by_its_url(monkeypatch):
    """form_credentials takes a base URL (since the tokens come from /session/form): a bare
    port once made every fault run stop before its first request."""
    from benchmarks import faults

    asked = []

    def credentials(base):
        asked.append(base)
        raise RuntimeError("stop here")

    monkeypatch.setattr(faults, "form_credentials", credentials)
    with pytest.raises(RuntimeError, match="stop here"):
        faults.exercise(faults.Run(), {}, {"A": 8123, "B": 8124}, None, {}, {})
    assert asked == ["http://127.0.0.1:8123"]


def test_the_instruction_count_explains_itself_and_names_a_missing_valgrind(capsys, monkeypatch):
    from benchmarks import post_instructions

    with pytest.raises(SystemExit) as exit_:
        post_instructions.main(["--help"])
    assert exit_.value.code == 0
    assert "benchmarks/results/post_instructions.md" in capsys.readouterr().out
    monkeypatch.setattr(post_instructions.shutil, "which", lambda name: None)
    with pytest.raises(SystemExit) as exit_:
        post_instructions.main([])
    assert "needs valgrind" in str(exit_.value.code)


def test_the_counted_request_is_answered_as_the_benchmark_expects(app, make):
    """The child's request, sent to a test app: a 303 and a stored pending reply."""
    from benchmarks import post_instructions
    from newsroom.extensions import db
    from newsroom.models import Comment

    article = make.article()
    db.session.commit()
    client = app.test_client()
    tokens = client.get(f"/session/form?article={article.id}").get_json()
    client.get(f"/articles/{article.slug}")
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    post_instructions._post(app, article.slug, cookie.value if cookie else "", tokens, "t1")
    assert db.session.query(Comment).filter_by(author_email="bencht1@example.org").count() == 1


def test_comment_post_rounds_divide_by_their_own_hello_world_and_keep_the_median(
        monkeypatch, tmp_path):
    """``--repeat 3``: each round's ratio uses the hello world measured just before it."""
    from benchmarks import comment_post
    from benchmarks.harness import Result, Run, Settings

    def result(rps):
        return Result(rps=rps, requests=int(rps * 5), p50="1ms", p99="9ms", non2xx3xx=0,
                      socket_errors="none")

    hellos = iter([result(4000), result(2000), result(5000)])
    posts = iter([(result(600), {"pending": 1}),  # 0.150
                  (result(200), {"pending": 1}),  # 0.100
                  (result(1000), {"pending": 1}),  # 0.200
                  (result(300), {"pending": 1})])  # the service-time run
    monkeypatch.setattr(Run, "hello_now", lambda self: next(hellos))
    monkeypatch.setattr(comment_post, "_posts", lambda *args: next(posts))
    run = Run(Settings.make(repeat=3, results=tmp_path), tmp_path)
    comment_post.run(run)
    report = (tmp_path / "comment_post.md").read_text()
    assert "| 2 workers, 32 connections, round 1 (median) | 4,000 | 600 | 0.150 |" in report
    assert "| 2 workers, 32 connections, round 2 | 2,000 | 200 | 0.100 |" in report
    [figure] = run.figures
    assert figure.measured == "600/s (0.150 × hello world, rounds 0.100–0.200)"
    assert figure.met is True
