"""WordPress bodies to plain HTML: shortcodes and wpautop, case by case."""
from __future__ import annotations

import pytest

from newsroom.importing.wpcontent import post_html
from newsroom.sanitizing import clean_article


@pytest.mark.parametrize("raw, expected", [
    ('[caption id="a1" align="alignleft" width="300" caption="Nets drying"]'
     '<img src="https://img.example/nets.jpg" alt="Nets">[/caption]',
     '<figure><img src="https://img.example/nets.jpg" alt="Nets">'
     '<figcaption>Nets drying</figcaption></figure>'),  # the old caption attribute
    ('[caption]<a href="https://img.example/big.jpg"><img src="https://img.example/s.jpg" alt="">'
     '</a> Boats[/caption]',
     '<figure><a href="https://img.example/big.jpg"><img src="https://img.example/s.jpg" alt="">'
     '</a><figcaption>Boats</figcaption></figure>'),
    ('<p>[box color="blue"][highlight]Tide tables[/highlight] inside[/box]</p>',
     '<p>Tide tables inside</p>'),  # nested unknown shortcodes keep their text
    ('<p>Listen: [audio mp3="https://audio.example/tide.mp3"][/audio]</p>',
     '<p>Listen: <a href="https://audio.example/tide.mp3">https://audio.example/tide.mp3</a></p>'),
    ('<p>[video src="javascript:alert(1)"] ok</p>', '<p> ok</p>'),
    ('<p>Footnote [1] and [sic] stay; [signup form="x"] goes.</p>',
     '<p>Footnote [1] and [sic] stay;  goes.</p>'),
    ('<!-- wp:latest-posts /-->\n<!-- wp:paragraph -->\n<p>One</p>\n<!-- /wp:paragraph -->',
     '<p>One</p>'),
])
def test_shortcodes(raw, expected):
    assert post_html(raw) == expected


def test_wpautop_keeps_pre_and_lists_as_they_are():
    raw = ("First line\nsecond line\n\n<pre>code\n\n  indented</pre>\n\n"
           "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\nAfter the list")
    html = post_html(raw)
    assert html.startswith("<p>First line<br>\nsecond line</p>")
    assert "<pre>code\n\n  indented</pre>" in html
    assert "<ul>" in html and "<p><li>" not in html
    assert html.endswith("<p>After the list</p>")
    assert clean_article(html).count("<p>") == 2


def test_a_block_editor_body_gets_no_extra_paragraphs():
    raw = "<!-- wp:paragraph -->\n<p>Line one\nline two</p>\n<!-- /wp:paragraph -->"
    assert post_html(raw) == "<p>Line one\nline two</p>"
