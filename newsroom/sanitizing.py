"""The HTML sanitisers: one bleach Cleaner per policy, built once.

Comments get a small allowlist; articles (ours and syndicated) a broader one. In both,
``script`` and ``style`` elements go with their content, and links keep only the
schemes named here, whatever bleach would otherwise let through.
"""
from __future__ import annotations

import re
from functools import partial
from urllib.parse import urljoin

from bleach.html5lib_shim import Filter
from bleach.linkifier import LinkifyFilter
from bleach.sanitizer import Cleaner

COMMENT_TAGS = frozenset(
    {"p", "br", "a", "em", "strong", "b", "i", "blockquote", "code", "pre", "ul", "ol", "li"}
)
COMMENT_PROTOCOLS = frozenset({"http", "https", "mailto"})
COMMENT_LINK_REL = "nofollow ugc noopener"

ARTICLE_TAGS = frozenset(
    {
        "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "a", "em", "strong", "b", "i", "u", "s",
        "sub", "sup", "small", "mark", "abbr", "cite", "q", "blockquote", "code", "pre", "kbd",
        "ul", "ol", "li", "dl", "dt", "dd", "figure", "figcaption", "img", "table", "caption",
        "thead", "tbody", "tfoot", "tr", "th", "td",
    }
)
ARTICLE_PROTOCOLS = frozenset({"http", "https", "mailto"})
IMAGE_PROTOCOLS = frozenset({"http", "https"})

#: Elements removed together with everything inside them.
DROPPED_WITH_CONTENT = frozenset({"script", "style"})

_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\xa0\u1680\u180e\u2000-\u200f\u2028-\u202f\ufeff]+")


def url_scheme(url: str) -> str | None:
    """The scheme a browser would read from ``url`` (ignoring hidden characters), or None."""
    match = _SCHEME.match(_INVISIBLE.sub("", url))
    return match.group(1).lower() if match else None


def _allow_url(allowed: frozenset[str], *, relative: bool):
    def check(value: str) -> bool:
        scheme = url_scheme(value)
        if scheme is None:
            return relative
        return scheme in allowed

    return check


def _attribute_policy(rules: dict[str, dict[str, object]]):
    """Turn ``{tag: {attr: True | url-check}}`` into bleach's attribute callable."""

    def allow(tag: str, name: str, value: str) -> bool:
        rule = rules.get(tag, {}).get(name)
        if rule is None:
            return False
        return rule is True or rule(value)

    return allow


class DropElements(Filter):
    """Remove ``script`` and ``style`` elements and all of their content."""

    def __iter__(self):
        depth = 0
        for token in super().__iter__():
            kind = token["type"]
            is_dropped = token.get("name") in DROPPED_WITH_CONTENT
            if kind == "StartTag" and is_dropped:
                depth += 1
            elif kind == "EndTag" and is_dropped:
                depth = max(depth - 1, 0)
            elif depth == 0:
                yield token


def _set_comment_rel(attrs, new=False):
    attrs[(None, "rel")] = COMMENT_LINK_REL
    return attrs


class AbsoluteUrls(Filter):
    """Make relative ``href`` and ``src`` values absolute against a base URL; drop empty ones."""

    def __init__(self, source, base_url: str):
        super().__init__(source)
        self.base_url = base_url

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] in ("StartTag", "EmptyTag"):
                for key in ((None, "href"), (None, "src")):
                    value = token["data"].get(key)
                    if value is not None and not value.strip():
                        del token["data"][key]  # an emptied URL must not become the page's own
                    elif value is not None and url_scheme(value) is None:
                        try:
                            token["data"][key] = urljoin(self.base_url, value.strip())
                        except ValueError:  # an unparseable URL (say, an unclosed IPv6 host)
                            del token["data"][key]
            yield token


_comment_cleaner = Cleaner(
    tags=COMMENT_TAGS | DROPPED_WITH_CONTENT,
    attributes=_attribute_policy({"a": {"href": _allow_url(COMMENT_PROTOCOLS, relative=False)}}),
    protocols=COMMENT_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[
        DropElements,
        partial(LinkifyFilter, callbacks=[_set_comment_rel], skip_tags={"pre", "code"}),
    ],
)

_ARTICLE_ATTRIBUTES = {
    "a": {"href": _allow_url(ARTICLE_PROTOCOLS, relative=True), "title": True},
    "img": {
        "src": _allow_url(IMAGE_PROTOCOLS, relative=True),
        "alt": True,
        "title": True,
        "width": True,
        "height": True,
    },
    "abbr": {"title": True},
    "q": {"cite": _allow_url(IMAGE_PROTOCOLS, relative=True)},
    "blockquote": {"cite": _allow_url(IMAGE_PROTOCOLS, relative=True)},
    "th": {"colspan": True, "rowspan": True, "scope": True},
    "td": {"colspan": True, "rowspan": True},
    "ol": {"start": True},
}


def _article_cleaner(base_url: str | None) -> Cleaner:
    filters: list = [DropElements]
    if base_url:
        filters.append(partial(AbsoluteUrls, base_url=base_url))
    return Cleaner(
        tags=ARTICLE_TAGS | DROPPED_WITH_CONTENT,
        attributes=_attribute_policy(_ARTICLE_ATTRIBUTES),
        protocols=ARTICLE_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=filters,
    )


_article_cleaner_no_base = _article_cleaner(None)


def clean_comment(text: str) -> str:
    """Sanitise a reader's comment: small allowlist, safe links with rel=nofollow ugc."""
    html = _comment_cleaner.clean(text.strip())
    if "<p>" not in html and "\n" in html:
        paragraphs = [part.strip() for part in re.split(r"\n\s*\n", html) if part.strip()]
        html = "".join(f"<p>{part.replace(chr(10), '<br>')}</p>" for part in paragraphs)
    return html.strip()


def clean_article(html: str, base_url: str | None = None) -> str:
    """Sanitise article HTML; with ``base_url``, relative links and images become absolute."""
    cleaner = _article_cleaner(base_url) if base_url else _article_cleaner_no_base
    return cleaner.clean(html).strip()
