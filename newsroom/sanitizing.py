"""The HTML sanitisers: one bleach Cleaner per policy, built once (on first use).

Comments get a small allowlist; articles (ours and syndicated) a broader one. In both,
``script`` and ``style`` elements go with their content, and links keep only the
schemes named here, whatever bleach would otherwise let through.
"""
from __future__ import annotations

import re
from functools import cache, partial
from typing import TYPE_CHECKING
from urllib.parse import urljoin

if TYPE_CHECKING:  # bleach (and its html5lib) loads when a cleaner is first built, not at start-up
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

#: Our own uploaded images (newsroom/media/storage.py): the only URLs a ``srcset`` may name.
OWN_MEDIA = re.compile(r"^/media/[0-9a-f]{64}/[1-9][0-9]{0,4}\.(?:jpg|png|webp|gif)$")
_WIDTH_DESCRIPTOR = re.compile(r"^[1-9][0-9]{0,4}w$")
#: ``sizes``: media conditions and lengths only, e.g. ``(min-width: 50rem) 46rem, 100vw``.
_SIZES = re.compile(r"^[a-z0-9 ().:,\-]{1,200}$")

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


def own_srcset(value: str) -> bool:
    """A ``srcset`` whose every candidate is one of our media files with a width descriptor."""
    candidates = [part.strip() for part in value.split(",")]
    if not candidates or len(candidates) > 8:
        return False
    for candidate in candidates:
        pieces = candidate.split()
        if len(pieces) != 2 or not OWN_MEDIA.match(pieces[0]):
            return False
        if not _WIDTH_DESCRIPTOR.match(pieces[1]):
            return False
    return True


def _sizes(value: str) -> bool:
    return bool(_SIZES.match(value.strip().lower()))


def _attribute_policy(rules: dict[str, dict[str, object]]):
    """Turn ``{tag: {attr: True | url-check}}`` into bleach's attribute callable."""

    def allow(tag: str, name: str, value: str) -> bool:
        rule = rules.get(tag, {}).get(name)
        if rule is None:
            return False
        return rule is True or rule(value)

    return allow


@cache
def _drop_elements() -> type:
    """The filter class removing ``script`` and ``style`` elements and all of their content."""
    from bleach.html5lib_shim import Filter

    class DropElements(Filter):
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

    return DropElements


def _set_comment_rel(attrs, new=False):
    attrs[(None, "rel")] = COMMENT_LINK_REL
    return attrs


@cache
def _absolute_urls() -> type:
    """The filter class making relative ``href`` and ``src`` values absolute; empty ones go.

    Our own media paths (``/media/…``) are resolved against ``media_base`` when it is given
    (a feed leaving the site), and otherwise left as they are: they are this site's, not the
    original story's. ``srcset`` only ever names our media (see ``own_srcset``).
    """
    from bleach.html5lib_shim import Filter

    class AbsoluteUrls(Filter):
        def __init__(self, source, base_url: str | None, media_base: str | None = None):
            super().__init__(source)
            self.base_url = base_url
            self.media_base = media_base

        def __iter__(self):
            for token in super().__iter__():
                if token["type"] in ("StartTag", "EmptyTag"):
                    for key in ((None, "href"), (None, "src")):
                        _resolve(token["data"], key, self.base_url, self.media_base)
                    srcset = token["data"].get((None, "srcset"))
                    if srcset is not None and self.media_base:
                        token["data"][(None, "srcset")] = _absolute_srcset(srcset, self.media_base)
                yield token

    return AbsoluteUrls


def _absolute_srcset(srcset: str, media_base: str) -> str:
    return ", ".join(
        " ".join((urljoin(media_base, url), *descriptor))
        for url, *descriptor in (part.split() for part in srcset.split(","))
    )


def _resolve(attributes: dict, key, base_url: str | None, media_base: str | None) -> None:
    value = attributes.get(key)
    if value is None:
        return
    if not value.strip():
        del attributes[key]  # an emptied URL must not become the page's own
    elif url_scheme(value) is None:
        base = media_base if OWN_MEDIA.match(value.strip()) else base_url
        if base is None:
            return
        try:
            attributes[key] = urljoin(base, value.strip())
        except ValueError:  # an unparseable URL (say, an unclosed IPv6 host)
            del attributes[key]


@cache
def _comment_cleaner() -> Cleaner:
    from bleach.linkifier import LinkifyFilter
    from bleach.sanitizer import Cleaner

    return Cleaner(
        tags=COMMENT_TAGS | DROPPED_WITH_CONTENT,
        attributes=_attribute_policy(
            {"a": {"href": _allow_url(COMMENT_PROTOCOLS, relative=False)}}
        ),
        protocols=COMMENT_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[
            _drop_elements(),
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
        "srcset": own_srcset,
        "sizes": _sizes,
        "loading": lambda value: value in ("lazy", "eager"),
    },
    "abbr": {"title": True},
    "q": {"cite": _allow_url(IMAGE_PROTOCOLS, relative=True)},
    "blockquote": {"cite": _allow_url(IMAGE_PROTOCOLS, relative=True)},
    "th": {"colspan": True, "rowspan": True, "scope": True},
    "td": {"colspan": True, "rowspan": True},
    "ol": {"start": True},
}


def _article_cleaner(base_url: str | None, media_base: str | None = None) -> Cleaner:
    from bleach.sanitizer import Cleaner

    filters: list = [_drop_elements()]
    if base_url or media_base:
        filters.append(partial(_absolute_urls(), base_url=base_url, media_base=media_base))
    return Cleaner(
        tags=ARTICLE_TAGS | DROPPED_WITH_CONTENT,
        attributes=_attribute_policy(_ARTICLE_ATTRIBUTES),
        protocols=ARTICLE_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=filters,
    )


@cache
def _article_cleaner_no_base() -> Cleaner:
    return _article_cleaner(None)


#: Text that the comment cleaner hands back as it is: letters, digits, spaces, line feeds and
#: punctuation that is not markup (no ``<``, ``>`` or ``&``, no control characters).
_PLAIN_TEXT = re.compile(r"""[\w .,;:!?'"()\[\]/%+=*#@$€£\n\-–—…‘’“”]*""")


def is_plain_text(text: str) -> bool:
    """Whether the comment cleaner would return ``text`` unchanged: nothing but plain
    characters, and nothing that its linkifier (bleach's own URL pattern) makes a link of."""
    from bleach.linkifier import URL_RE

    return _PLAIN_TEXT.fullmatch(text) is not None and URL_RE.search(text) is None


def clean_comment(text: str) -> str:
    """Sanitise a reader's comment: small allowlist, safe links with rel=nofollow ugc.

    Most comments are plain sentences, which bleach would return as they are: those skip its
    parse (:func:`is_plain_text`; tests/test_sanitizing.py checks that the two agree).
    """
    text = text.strip()
    html = text if is_plain_text(text) else _comment_cleaner().clean(text)
    if "<p>" not in html and "\n" in html:
        paragraphs = [part.strip() for part in re.split(r"\n\s*\n", html) if part.strip()]
        html = "".join(f"<p>{part.replace(chr(10), '<br>')}</p>" for part in paragraphs)
    return html.strip()


def clean_article(html: str, base_url: str | None = None, media_base: str | None = None) -> str:
    """Sanitise article HTML; with ``base_url``, relative links and images become absolute.

    Our own media paths stay site-relative unless ``media_base`` (the site's root) is given.
    """
    if base_url or media_base:
        cleaner = _article_cleaner(base_url, media_base)
    else:
        cleaner = _article_cleaner_no_base()
    return cleaner.clean(html).strip()
