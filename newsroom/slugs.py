"""Slugs for public URLs: made from a headline or name, unique, readable."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from newsroom.extensions import db
from newsroom.models import Article, SlugRedirect

MAX_SLUG_LENGTH = 80
FALLBACK_SLUG = "story"

_NOT_WORD = re.compile(r"[^\w]+", re.UNICODE)
#: Latin letters that Unicode does not decompose into a base letter and an accent.
_LATIN_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ð": "d", "þ": "th", "ł": "l", "đ": "d", "ı": "i"}
)


def slugify(text: str, max_length: int = MAX_SLUG_LENGTH) -> str:
    """Lowercase words joined by hyphens; accents dropped, other scripts kept.

    "Café opens on Pier 4!" → "cafe-opens-on-pier-4"; "Søren's Straße" → "soren-s-strasse";
    "Новости дня" → "новости-дня".
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    bare = bare.lower().translate(_LATIN_LETTERS).replace("_", " ")
    words = [word for word in _NOT_WORD.split(bare) if word]
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    if not slug and words:
        slug = words[0][:max_length]
    return unicodedata.normalize("NFC", slug)


def unique_slug(
    text: str,
    *,
    column: InstrumentedAttribute | None = None,
    exclude_id: int | None = None,
    also_taken: Collection[str] = (),
) -> str:
    """A slug for ``text`` not yet taken in ``column`` (default: articles), suffixed -2, -3….

    For articles, former slugs kept as redirects count as taken too (except the article's
    own, given by ``exclude_id``), so an old link never lands on a different story.
    ``also_taken``: slugs given out but not yet flushed (a batch created without autoflush).
    """
    column = column if column is not None else Article.slug
    base = slugify(text) or FALLBACK_SLUG
    taken = _slugs_like(column, base, exclude_id)
    taken.update(slug for slug in also_taken if slug.startswith(base))
    if column is Article.slug:
        old = SlugRedirect.old_slug
        query = select(old).where(old.startswith(base, autoescape=True))
        if exclude_id is not None:
            query = query.where(SlugRedirect.article_id != exclude_id)
        taken.update(db.session.scalars(query))
    if base not in taken:
        return base
    number = 2
    while f"{base}-{number}" in taken:
        number += 1
    return f"{base}-{number}"


def _slugs_like(column: InstrumentedAttribute, base: str, exclude_id: int | None) -> set[str]:
    """Every value of ``column`` starting with ``base`` (one query)."""
    model = column.class_
    query = select(column).where(column.startswith(base, autoescape=True))
    if exclude_id is not None:
        query = query.where(model.id != exclude_id)
    return set(db.session.scalars(query))
