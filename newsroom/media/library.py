"""The media library's reads and writes: upload, search, where each image is used, the body HTML."""
from __future__ import annotations

import re
from collections import defaultdict

from markupsafe import Markup, escape
from sqlalchemy import Select, or_, select

from newsroom.extensions import db
from newsroom.media.processing import process, read_limited
from newsroom.media.storage import SIZES, existing_image, fallback, file_url, new_image, srcset
from newsroom.models import Article, Image, User, article_images

#: Our own image URLs inside a story's body.
BODY_IMAGE = re.compile(r"/media/([0-9a-f]{64})/")


def upload(stream, filename: str, max_bytes: int, user: User | None, **described) -> tuple:
    """Check, clean and store an upload: ``(image, created)``; the same file twice is one image.

    :raises ImageRefused: with the reason for the editor.
    """
    data = read_limited(stream, max_bytes)
    processed = process(data)
    found = existing_image(processed.digest)
    if found is not None:
        return found, False
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1][:255]
    return new_image(processed, len(data), user, filename=name, **described), True


def search(text: str) -> Select:
    """Images newest first, those whose alt text, caption, credit or file name contain ``text``."""
    query = select(Image).order_by(Image.created_at.desc(), Image.id.desc())
    text = text.strip()
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(*(column.ilike(pattern, escape="\\") for column in (
                Image.alt, Image.caption, Image.credit, Image.filename
            )))
        )
    return query


def usage(image_ids: list[int]) -> dict[int, dict[str, list[Article]]]:
    """``{image_id: {"lead": [stories], "body": [stories]}}`` in two queries."""
    found: dict[int, dict[str, list]] = defaultdict(lambda: {"lead": [], "body": []})
    if not image_ids:
        return found
    leads = db.session.execute(
        select(Article.image_id, Article.id, Article.headline)
        .where(Article.image_id.in_(image_ids))
        .order_by(Article.headline)
    )
    for image_id, article_id, headline in leads:
        found[image_id]["lead"].append((article_id, headline))
    bodies = db.session.execute(
        select(article_images.c.image_id, Article.id, Article.headline)
        .join(Article, Article.id == article_images.c.article_id)
        .where(article_images.c.image_id.in_(image_ids))
        .order_by(Article.headline)
    )
    for image_id, article_id, headline in bodies:
        found[image_id]["body"].append((article_id, headline))
    return found


def images_in(html: str) -> list[Image]:
    """The uploaded images a story's (sanitised) body shows."""
    digests = set(BODY_IMAGE.findall(html or ""))
    if not digests:
        return []
    return list(db.session.scalars(select(Image).where(Image.digest.in_(digests))))


def figure_html(image: Image, alt: str | None = None) -> Markup:
    """The ``<figure>`` an editor puts in a body: srcset, sizes, alt, size, caption and credit."""
    shown = fallback(image)
    parts = [
        Markup('<figure><img src="{}" srcset="{}" sizes="{}" alt="{}" '
               'width="{}" height="{}">').format(
            file_url(image, shown["files"][image.kind]), srcset(image), SIZES,
            image.alt if alt is None else alt, shown["width"], shown["height"],
        )
    ]
    if image.caption or image.credit:
        credit = Markup(" <small>{}</small>").format(image.credit) if image.credit else ""
        parts.append(Markup("<figcaption>{}{}</figcaption>").format(image.caption, credit))
    parts.append(Markup("</figure>"))
    return Markup("").join(parts)


def describe(image: Image) -> str:
    """One line for lists: file name, size in pixels and type."""
    label = escape(image.filename) if image.filename else f"Image {image.id}"
    return f"{label} · {image.width} × {image.height} · {image.kind.upper()}"
