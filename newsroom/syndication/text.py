"""Plain text from feed markup: headlines, standfirsts, bylines."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

#: Elements whose content is never text a reader should see.
_HIDDEN = frozenset({"script", "style", "template", "noscript", "iframe", "object"})
_SPACES = re.compile(r"\s+")
_MAX_PASSES = 5


class _TextExtractor(HTMLParser):
    """Collect character data, skipping hidden elements' content."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN:
            self.hidden_depth += 1
        elif tag in ("br", "p", "div", "li"):
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in _HIDDEN:
            self.hidden_depth = max(self.hidden_depth - 1, 0)

    def handle_data(self, data):
        if not self.hidden_depth:
            self.parts.append(data)


def _strip_once(markup: str) -> str:
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    return _SPACES.sub(" ", "".join(parser.parts)).strip()


def plain_text(markup: str | None) -> str:
    """Text without tags or entities; markup hidden behind escaping is removed too.

    ``&lt;script&gt;x&lt;/script&gt;`` first becomes ``<script>x</script>`` and then
    nothing, so no tag survives however many times it was escaped. A lone ``<`` in
    ordinary prose ("a < b") is kept.
    """
    text = _SPACES.sub(" ", markup or "").strip()
    for _ in range(_MAX_PASSES):
        stripped = _strip_once(text)
        if stripped == text:
            break
        text = stripped
    return text


def truncate_words(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a word boundary, with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if not text[limit - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-–—") + "…"


def text_to_html(text: str) -> str:
    """Plain text as escaped HTML paragraphs (blank lines separate them)."""
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
    return "".join(
        "<p>" + html.escape(part).replace("\n", "<br>") + "</p>" for part in paragraphs
    )
