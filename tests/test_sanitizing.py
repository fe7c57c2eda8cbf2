"""The sanitisers against 803 hostile payloads from ../shared/corpora/xss, and ordinary formatting."""
from __future__ import annotations

import json
import os

import html5lib
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsroom.sanitizing import (
    ARTICLE_TAGS,
    COMMENT_TAGS,
    clean_article,
    _comment_cleaner,
    clean_comment,
    is_plain_text,
    url_scheme,
)

CORPUS_FILES = [
    "bleach.json",
    "dompurify.json",
    "html5lib.json",
    "ammonia.json",
    "rgrove_sanitize.json",
    "owasp_xss_filter_evasion.json",
]
URL_ATTRIBUTES = {"href", "src", "cite"}
SAFE_SCHEMES = {None, "http", "https", "mailto"}


def corpus_inputs(corpora: str) -> list[tuple[str, str]]:
    cases = []
    for name in CORPUS_FILES:
        with open(os.path.join(corpora, "xss", name), encoding="utf-8") as handle:
            data = json.load(handle)
        for case in data["cases"]:
            cases.append((f"{name}:{case['id']}", case["input"]))
            if case.get("input_nbsp_as_space"):
                cases.append((f"{name}:{case['id']}:nbsp", case["input_nbsp_as_space"]))
    return cases


def script_hazards(html: str, allowed_tags: frozenset[str]) -> list[str]:
    """Everything in ``html``, as a browser parses it, that could run script or load a page."""
    problems = []
    fragment = html5lib.parseFragment(html, namespaceHTMLElements=False)
    for element in fragment.iter():
        if element is fragment or not isinstance(element.tag, str):
            continue  # the fragment itself, and comments
        if element.tag not in allowed_tags:
            problems.append(f"element <{element.tag}>")
        for name, value in element.attrib.items():
            if name.lower().startswith("on") or name.lower() in {"style", "srcdoc", "formaction"}:
                problems.append(f"attribute {name}")
            if name.lower() in URL_ATTRIBUTES and url_scheme(value) not in SAFE_SCHEMES:
                problems.append(f"{name}={value!r}")
    return problems


@pytest.fixture(scope="module")
def payloads(request):
    corpora = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpora"))
    if not os.path.isdir(os.path.join(corpora, "xss")):
        pytest.skip(f"the XSS corpus is not at {corpora}/xss")
    return corpus_inputs(corpora)


def test_the_corpus_is_all_there(payloads):
    assert len({case_id.split(":")[0] for case_id, _ in payloads}) == len(CORPUS_FILES)
    assert len([p for p in payloads if not p[0].endswith(":nbsp")]) == 803


@pytest.mark.parametrize(
    ("clean", "tags"), [(clean_comment, COMMENT_TAGS), (clean_article, ARTICLE_TAGS)]
)
def test_nothing_that_can_run_script_survives(payloads, clean, tags):
    failures = {}
    for case_id, payload in payloads:
        output = clean(payload)
        problems = script_hazards(output, tags)
        if problems:
            failures[case_id] = (payload[:80], output[:120], problems)
    assert failures == {}


def test_article_base_url_never_turns_a_payload_into_script(payloads):
    for case_id, payload in payloads:
        output = clean_article(payload, base_url="https://outlet.example/news/story.html")
        assert script_hazards(output, ARTICLE_TAGS) == [], case_id


@pytest.mark.parametrize(
    "payload",
    [
        '<a href="javascript:123">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<a href="java\tscript:alert(1)">x</a>',
        '<a href="&#106;avascript:alert(1)">x</a>',
        '<a href=" javascript:alert(1)">x</a>',
        '<a href="vbscript:msgbox(1)">x</a>',
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    ],
)
def test_dangerous_link_schemes_lose_their_href(payload):
    assert clean_comment(payload) == '<a rel="nofollow ugc noopener">x</a>'


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("<script>alert('x')</script>After", "After"),
        ("<style>body{display:none}</style>After", "After"),
        ("<SCRIPT>document.cookie</SCRIPT>After", "After"),
        ("<p>One<script>two</script>three</p>", "<p>Onethree</p>"),
        ("<iframe src=x>inner</iframe>", "inner"),
    ],
)
def test_script_and_style_go_with_their_content(payload, expected):
    assert clean_comment(payload) == expected


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        ("<p>Plain <em>em</em>, <strong>strong</strong>, <b>b</b>, <i>i</i>.</p>",
         "<p>Plain <em>em</em>, <strong>strong</strong>, <b>b</b>, <i>i</i>.</p>"),
        ("<blockquote><p>Quoted</p></blockquote>", "<blockquote><p>Quoted</p></blockquote>"),
        ("<ul><li>one</li></ul><ol><li>two</li></ol>", "<ul><li>one</li></ul><ol><li>two</li></ol>"),
        ("<pre><code>x = 1 &lt; 2</code></pre>", "<pre><code>x = 1 &lt; 2</code></pre>"),
        ('<a href="mailto:desk@news.example">write</a>',
         '<a href="mailto:desk@news.example" rel="nofollow ugc noopener">write</a>'),
        ('<a href="https://harbour.org/" title="t" target="_blank">site</a>',
         '<a href="https://harbour.org/" rel="nofollow ugc noopener">site</a>'),
        ("Go to www.harbour.org now", 'Go to <a href="http://www.harbour.org" rel="nofollow ugc noopener">www.harbour.org</a> now'),
        ("First line\nsecond line\n\nNew paragraph", "<p>First line<br>second line</p><p>New paragraph</p>"),
        ("Café, naïve, 東京, emoji 🌊", "Café, naïve, 東京, emoji 🌊"),
        ("1 < 2 & 3 > 2", "1 &lt; 2 &amp; 3 &gt; 2"),
        ("<h1>Big</h1><img src=x.png><table><tr><td>t</td></tr></table>", "<p>Big<br>t</p>"),
    ],
)
def test_ordinary_comment_formatting_survives(payload, expected):
    assert clean_comment(payload) == expected


def test_article_formatting_survives_and_links_become_absolute():
    html = (
        '<h2>Heading</h2><figure><img src="/img/reef.jpg" alt="Reef"><figcaption>Cap</figcaption>'
        '</figure><p><a href="../more.html">more</a> <a href="#notes">notes</a></p>'
        '<table><tr><th scope="col">A</th></tr><tr><td colspan="2">1</td></tr></table>'
    )
    assert clean_article(html, base_url="https://outlet.example/news/2026/story.html") == (
        '<h2>Heading</h2><figure><img src="https://outlet.example/img/reef.jpg" alt="Reef">'
        '<figcaption>Cap</figcaption></figure><p><a href="https://outlet.example/news/more.html">more</a> '
        '<a href="https://outlet.example/news/2026/story.html#notes">notes</a></p>'
        '<table><tbody><tr><th scope="col">A</th></tr><tr><td colspan="2">1</td></tr></tbody></table>'
    )


def test_article_images_only_over_http():
    assert clean_article('<img src="data:image/png;base64,AAAA" alt="x">') == '<img alt="x">'
    assert clean_article('<img src="https://cdn.example/a.png">') == '<img src="https://cdn.example/a.png">'


def test_an_emptied_url_is_dropped_rather_than_made_absolute():
    html = '<a href="">x</a><a href="  ">y</a><img src="" alt="z">'
    assert clean_article(html, base_url="https://outlet.example/story") == '<a>x</a><a>y</a><img alt="z">'


def test_an_unparseable_relative_url_is_dropped_not_a_crash():
    assert clean_article('<a href="//[::1/x">x</a>', base_url="https://outlet.example/") == "<a>x</a>"


OWN = "/media/" + "ab" * 32


def test_srcset_survives_only_when_it_names_our_own_media():
    kept = clean_article(
        f'<img src="{OWN}/960.jpg" srcset="{OWN}/480.jpg 480w, {OWN}/960.webp 960w" '
        'sizes="(min-width: 50rem) 46rem, 100vw" alt="Pier" width="960" height="640">'
    )
    assert f'srcset="{OWN}/480.jpg 480w, {OWN}/960.webp 960w"' in kept
    assert 'sizes="(min-width: 50rem) 46rem, 100vw"' in kept
    for hostile in (
        "javascript:alert(1) 480w",
        f"{OWN}/480.jpg 480w, https://tracker.example/p.gif 1w",
        f"{OWN}/../../secret_key 480w",
        f"{OWN}/480.jpg",
        f"//evil.example{OWN}/480.jpg 480w",
        f"{OWN}/480.svg 480w",
        f"data:image/svg+xml,<svg onload=alert(1)> 480w",
    ):
        cleaned = clean_article(f'<img src="{OWN}/480.jpg" srcset="{hostile}" alt="x">')
        assert "srcset" not in cleaned, hostile
    assert "sizes" not in clean_article('<img src="a.jpg" sizes="calc(1px);x:expression(1)">')


def test_own_media_stays_site_relative_unless_a_feed_resolves_it():
    html = f'<img src="{OWN}/480.jpg" srcset="{OWN}/480.jpg 480w">'
    syndicated = clean_article(html, base_url="https://outlet.example/news/")
    assert f'src="{OWN}/480.jpg"' in syndicated
    feed = clean_article(html, base_url="https://news.example/articles/x",
                         media_base="https://news.example/")
    assert f'srcset="https://news.example{OWN}/480.jpg 480w"' in feed


def test_no_payload_in_srcset_or_sizes_leaves_script_or_a_foreign_srcset(payloads):
    for case_id, payload in payloads:
        quoted = payload.replace('"', "&quot;")
        html = f'<img src="{OWN}/480.jpg" srcset="{quoted}" sizes="{quoted}" alt="x">{payload}'
        for output in (clean_article(html),
                       clean_article(html, base_url="https://outlet.example/a",
                                     media_base="https://news.example/")):
            assert script_hazards(output, ARTICLE_TAGS) == [], case_id
            fragment = html5lib.parseFragment(output, namespaceHTMLElements=False)
            for element in fragment.iter():
                srcset = element.attrib.get("srcset") if isinstance(element.tag, str) else None
                if srcset is not None:
                    assert all(
                        part.split()[0].split("news.example", 1)[-1].startswith("/media/")
                        for part in srcset.split(",")
                    ), case_id


# --- the plain-text path: what bleach returns unchanged skips bleach ---------------------

#: Pieces of comments: words, the punctuation the plain path allows, and what must send a
#: text to bleach (markup, entities, controls, CR, tabs, domains and schemes its linkifier sees).
PIECES = st.sampled_from([
    "ferry", "timetable", "café", "Ærø", "東京", "𝔘", "ǅ", "42", "_", " ", "  ", "\n", "\n\n",
    ".", ",", ";", ":", "!", "?", "'", '"', "(", ")", "[", "]", "/", "%", "+", "=", "*", "#",
    "@", "$", "€", "£", "-", "–", "—", "…", "‘", "’", "“", "”",
    "<", ">", "&", "&amp;", "<b>", "\r", "\t", "\x0c", "\x00", "\ufffd", "\ufdd0", "\u200b",
    "\u0301", "com", "org", "example", "http", "https", "www", "mailto", "co.uk", "x.io",
])


@settings(max_examples=3000, deadline=None)
@given(st.lists(PIECES, max_size=24).map("".join))
def test_what_counts_as_plain_text_is_what_bleach_returns_unchanged(text):
    text = text.strip()
    if is_plain_text(text):
        assert _comment_cleaner().clean(text) == text


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=80))
def test_any_text_taken_as_plain_is_what_bleach_returns_unchanged(text):
    text = text.strip()
    if is_plain_text(text):
        assert _comment_cleaner().clean(text) == text


@pytest.mark.parametrize("text, plain", [
    ("The 7:40 ferry was late again; the café (by the pier) stayed open — thanks!", True),
    ("Two paragraphs.\n\nThe second one.", True),
    ("Timetables at harbour.example.org today", False),  # the linkifier would make a link
    ("see https://harbour.example.org/times", False),
    ("fish & chips", False),
    ("3 > 2", False),
    ("<em>really</em>", False),
    ("tab\tseparated", False),
])
def test_plain_text_is_told_apart_from_what_bleach_must_read(text, plain):
    assert is_plain_text(text) is plain
    assert clean_comment(text) == clean_comment_through_bleach(text)


def clean_comment_through_bleach(text: str) -> str:
    """clean_comment as it was before the plain-text path: every text through bleach."""
    from unittest import mock

    with mock.patch("newsroom.sanitizing.is_plain_text", return_value=False):
        return clean_comment(text)


def test_no_corpus_payload_takes_the_plain_path(payloads):
    for case_id, payload in payloads:
        if is_plain_text(payload.strip()):
            assert _comment_cleaner().clean(payload.strip()) == payload.strip(), case_id
