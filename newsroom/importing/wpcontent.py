"""WordPress post bodies to plain HTML: block comments out, shortcodes resolved, paragraphs
made the way WordPress's ``wpautop`` makes them for classic-editor posts.

The result still goes through the article sanitiser; this only turns WordPress's own markup
into HTML the sanitiser can keep.
"""
from __future__ import annotations

import html
import re

#: ``<!-- wp:paragraph -->``, ``<!-- wp:image {"id":5} -->``, ``<!-- /wp:quote -->``,
#: ``<!-- wp:latest-posts /-->``, with the line they stand on.
BLOCK_COMMENT = re.compile(r"[ \t]*<!--\s*/?wp:.*?-->[ \t]*\n?", re.DOTALL)
#: ``[[gallery]]`` is WordPress's way of writing a literal ``[gallery]``.
ESCAPED_SHORTCODE = re.compile(r"\[(\[[^\[\]]+\])\]")
CAPTION = re.compile(r"\[(caption|wp_caption)\b([^\]]*)\](.*?)\[/\1\]", re.DOTALL | re.I)
EMBED = re.compile(r"\[embed\b[^\]]*\](.*?)\[/embed\]", re.DOTALL | re.I)
MEDIA = re.compile(r"\[(audio|video)\b([^\]]*)\](?:(.*?)\[/\1\])?", re.DOTALL | re.I)
#: Shortcodes that only stand for attachments (shown by WordPress, not kept here).
ATTACHMENT_ONLY = re.compile(r"\[(gallery|playlist)\b[^\]]*\](?:.*?\[/\1\])?", re.DOTALL | re.I)
#: Any other shortcode with a closing tag: its content stays, the tags go.
PAIRED = re.compile(r"\[([A-Za-z_][\w-]*)(?:\s[^\]]*)?\](.*?)\[/\1\]", re.DOTALL)
#: Any other shortcode with attributes, or self-closing: removed. A bare ``[word]`` is left
#: alone, since prose uses brackets too ("[sic]").
LONE = re.compile(r"\[[A-Za-z_][\w-]*(?:\s+[\w-]+\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\]]+))+\s*/?\]"
                  r"|\[[A-Za-z_][\w-]*\s*/\]")
ATTRIBUTE = re.compile(r"([\w-]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s\]]+))")
URL_LINE = re.compile(r"^\s*(https?://[^\s<>\"]+)\s*$", re.MULTILINE)
LEADING_MEDIA = re.compile(r"^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$", re.DOTALL)

_BLOCK = (r"table|thead|tfoot|caption|colgroup|col|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
          r"|form|blockquote|address|math|style|script|p|h[1-6]|hr|fieldset|legend|section"
          r"|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary")
BLOCK_OPEN = re.compile(rf"(<(?:{_BLOCK})\b[^>]*>)", re.I)
BLOCK_CLOSE = re.compile(rf"(</(?:{_BLOCK})>)", re.I)
STARTS_WITH_BLOCK = re.compile(rf"^</?(?:{_BLOCK})\b", re.I)
PRE = re.compile(r"<pre\b.*?</pre>", re.DOTALL | re.I)


def post_html(raw: str) -> str:
    """A WordPress post body (block or classic editor) as plain HTML, not yet sanitised."""
    is_blocks = "<!-- wp:" in raw
    text = BLOCK_COMMENT.sub("", raw)
    text = shortcodes_to_html(text)
    if not is_blocks and "\n" in text:
        text = autop(text)
    return text.strip()


def shortcodes_to_html(text: str) -> str:
    """Captions become figures, embeds and media links; galleries and unknown ones go."""
    escaped: list[str] = []

    def hide(match: re.Match) -> str:
        escaped.append(match.group(1))
        return f"\x00{len(escaped) - 1}\x00"

    text = ESCAPED_SHORTCODE.sub(hide, text)
    text = CAPTION.sub(_caption, text)
    text = EMBED.sub(lambda m: _link(m.group(1).strip()), text)
    text = MEDIA.sub(_media, text)
    text = ATTACHMENT_ONLY.sub("", text)
    for _ in range(5):  # nested shortcodes, outermost first
        text, replaced = PAIRED.subn(r"\2", text)
        if not replaced:
            break
    text = LONE.sub("", text)
    if "\x00" in text:
        text = re.sub(r"\x00(\d+)\x00", lambda m: escaped[int(m.group(1))], text)
    if "\n" in text and "<!--" not in text:
        text = URL_LINE.sub(lambda m: _link(m.group(1)), text)  # a bare URL line is an embed
    return text


def attributes(text: str) -> dict[str, str]:
    """``id="a" width=300 caption='x'`` → ``{"id": "a", "width": "300", "caption": "x"}``."""
    return {m.group(1).lower(): next(v for v in m.groups()[1:] if v is not None)
            for m in ATTRIBUTE.finditer(text)}


def _caption(match: re.Match) -> str:
    inner = match.group(3).strip()
    media = LEADING_MEDIA.match(inner)
    image, caption = (media.group(1), media.group(2).strip()) if media else (inner, "")
    caption = caption or attributes(match.group(2)).get("caption", "")
    if not caption:
        return f"<figure>{image}</figure>"
    return f"<figure>{image}<figcaption>{caption}</figcaption></figure>"


def _media(match: re.Match) -> str:
    found = attributes(match.group(2))
    for name in ("src", "mp4", "m4v", "webm", "ogv", "mp3", "ogg", "wav", "m4a"):
        if found.get(name, "").startswith(("http://", "https://")):
            return _link(found[name], block=False)
    return ""


def _link(url: str, *, block: bool = True) -> str:
    """A link to ``url`` (http/https only), as a paragraph of its own unless inline."""
    if not url.startswith(("http://", "https://")):
        return ""
    safe = html.escape(html.unescape(url), quote=True)
    link = f'<a href="{safe}">{safe}</a>'
    return f"<p>{link}</p>" if block else link


def autop(text: str) -> str:
    """Blank-line-separated text to ``<p>`` paragraphs and single newlines to ``<br>``,
    leaving block-level elements (lists, quotes, headings, tables, figures, ``<pre>``) as
    they are, as WordPress's ``wpautop`` does for classic-editor posts."""
    kept: list[str] = []

    def keep(match: re.Match) -> str:
        kept.append(match.group(0))
        return f"\n\n\x01{len(kept) - 1}\x01\n\n"

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = PRE.sub(keep, text)
    text = BLOCK_OPEN.sub(r"\n\n\1", text)
    text = BLOCK_CLOSE.sub(r"\1\n\n", text)
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if chunk.startswith("\x01") or STARTS_WITH_BLOCK.match(chunk):
            paragraphs.append(chunk)
        else:
            paragraphs.append("<p>" + re.sub(r"\s*\n\s*", "<br>\n", chunk) + "</p>")
    text = "\n".join(paragraphs)
    return re.sub(r"\x01(\d+)\x01", lambda m: kept[int(m.group(1))], text)
