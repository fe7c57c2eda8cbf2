"""Plain text from feed markup and feed text: headlines, standfirsts, bylines."""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser

#: Elements whose content is never text a reader should see.
_HIDDEN = frozenset({"script", "style", "template", "noscript", "iframe", "object"})
#: A hidden element's tag, wherever it appears in text.
_HIDDEN_TAG = re.compile(r"<\s*/?\s*(?:%s)\b" % "|".join(sorted(_HIDDEN)), re.IGNORECASE)
#: A closing tag of a common HTML element: text that still holds one is escaped markup.
_CLOSING_HTML_TAG = re.compile(
    r"</\s*(?:a|abbr|b|blockquote|cite|code|div|em|h[1-6]|i|li|ol|p|pre|q|s|small|span|"
    r"strong|sub|sup|u|ul)\s*>",
    re.IGNORECASE,
)
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


def _hidden_layer(text: str) -> str | None:
    """``text`` unescaped as far as needed to show a hidden element's tag; None if none does."""
    layer = text
    for _ in range(_MAX_PASSES):
        if _HIDDEN_TAG.search(layer):
            return layer
        unescaped = html.unescape(layer)
        if unescaped == layer:
            return None
        layer = unescaped
    return None


def _visible(text: str, *, markup_too: bool) -> str:
    """``text`` with hidden elements (however often escaped) removed with their content.

    With ``markup_too``, text that still holds closing HTML tags (escaped markup) is also
    read once more as HTML.
    """
    for _ in range(_MAX_PASSES):
        layer = _hidden_layer(text)
        if layer is None and markup_too and _CLOSING_HTML_TAG.search(text):
            layer = text
        if layer is None:
            break
        text = _strip_once(layer)
    return text


def plain_text(markup: str | None) -> str:
    """The text an HTML fragment shows: tags and entities decoded once, hidden parts removed.

    ``&lt;script&gt;x&lt;/script&gt;`` is removed however many times it was escaped, and so
    is escaped markup such as ``&lt;b&gt;x&lt;/b&gt;`` (it keeps its words); but a title
    about "the &lt;blink&gt; tag" or "std::vector&lt;int&gt;" keeps those characters, and a
    lone ``<`` in ordinary prose ("a < b") stays.
    """
    return _visible(_strip_once(markup or ""), markup_too=True)


def literal_text(text: str | None) -> str:
    """Text that is text (Atom ``type="text"``): kept as written, spaces collapsed.

    Only a hidden element (``<script>…``) is removed with its content, however it was escaped:
    its source is never something a reader should see.
    """
    return _visible(_SPACES.sub(" ", text or "").strip(), markup_too=False)


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
