"""A file that cannot be imported writes nothing: exit ≠ 0 and one line saying why."""
from __future__ import annotations

import pytest

from benchmarks.imports import write_wxr
from tests.importing.conftest import DISQUS, WXR, table_counts

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>&lol3;</title></channel></rss>
"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE disqus [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<disqus xmlns="http://disqus.com"><thread><link>&secret;</link></thread></disqus>
"""
WXR_1_0 = """<?xml version="1.0"?>
<rss xmlns:wp="http://wordpress.org/export/1.0/"><channel><title>Old</title></channel></rss>
"""
PLAIN_RSS = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>A feed</title><item><title>Story</title></item></channel></rss>
"""


def _truncated(source, length=None) -> str:
    text = source.read_text(encoding="utf-8")
    return text[: length or len(text) * 2 // 3]


CASES = {
    "not XML": ("wordpress", lambda: "Just some words, no markup.", "not well-formed XML"),
    "empty": ("wordpress", lambda: "", "not well-formed XML"),
    "truncated WXR": ("wordpress", lambda: _truncated(WXR), "not well-formed XML"),
    "truncated Disqus": ("disqus", lambda: _truncated(DISQUS), "not well-formed XML"),
    "an RSS feed": ("wordpress", lambda: PLAIN_RSS, "an RSS file without the WXR namespace"),
    "WXR 1.0": ("wordpress", lambda: WXR_1_0, "WXR version 1.0 is not supported"),
    "Disqus as WordPress": ("wordpress", DISQUS.read_text, "the root element is <disqus>"),
    "WordPress as Disqus": ("disqus", WXR.read_text, "not a Disqus export"),
    "billion laughs": ("wordpress", lambda: BILLION_LAUGHS, "declares a DTD"),
    "external entity": ("disqus", lambda: XXE, "declares a DTD"),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_bad_file_writes_nothing(app, run_import, tmp_path, case):
    kind, content, why = CASES[case]
    path = tmp_path / "export.xml"
    path.write_text(content(), encoding="utf-8")
    result = run_import(kind, path)
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and why in lines[0] and "nothing was imported" in lines[0], lines
    assert set(table_counts().values()) == {0}


def test_a_missing_file_is_one_line(app, run_import, tmp_path):
    missing = tmp_path / "nowhere.xml"
    result = run_import("disqus", missing)
    assert result.exit_code != 0
    assert result.output.strip().splitlines() == [
        f"Error: {missing}: cannot read the file: No such file or directory; nothing was imported"]


def test_a_file_cut_off_after_many_batches_writes_nothing(app, run_import, tmp_path):
    """Whole batches are flushed before the cut is found; the one transaction undoes them."""
    path = tmp_path / "big.wxr"
    write_wxr(path, posts=1200, comments_per_post=3)
    text = path.read_text(encoding="utf-8")
    cut = tmp_path / "cut.wxr"
    cut.write_text(text[: len(text) - 2000], encoding="utf-8")
    result = run_import("wordpress", cut)
    assert result.exit_code != 0 and "not well-formed XML" in result.output
    assert set(table_counts().values()) == {0}
    whole = run_import("wordpress", path)
    assert whole.exit_code == 0 and "articles: 1200 created" in whole.output
