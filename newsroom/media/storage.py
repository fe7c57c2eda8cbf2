"""Image files under NEWSROOM_MEDIA_DIR, named by content, and the URLs that serve them.

Layout: ``<MEDIA_DIR>/<sha256 of the upload>/<width>.<ext>``, served as
``/media/<sha256>/<width>.<ext>``: a file never changes once written, so it is cached for a
year, and no name an editor chose ever reaches the file system.
"""
from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from flask import current_app, url_for
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.media.processing import CONTENT_TYPES, EXTENSIONS, Processed
from newsroom.models import Image, User

DIGEST = re.compile(r"^[0-9a-f]{64}$")
FILE_NAME = re.compile(r"^([1-9][0-9]{0,4})\.(jpg|png|webp|gif)$")
#: How the lead image and body images are laid out: full width up to the story column.
SIZES = "(min-width: 50rem) 46rem, 100vw"


def media_dir() -> Path:
    return Path(current_app.config["MEDIA_DIR"])


def write_files(processed: Processed) -> None:
    """Write each rendition once (atomically: a reader never sees half a file)."""
    folder = media_dir() / processed.digest
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in processed.files.items():
        target = folder / name
        if target.exists():
            continue
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-")
        with os.fdopen(handle, "wb") as out:
            out.write(content)
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)


def existing_image(digest: str) -> Image | None:
    return db.session.scalar(select(Image).where(Image.digest == digest))


def new_image(processed: Processed, byte_size: int, user: User | None, **described) -> Image:
    """Store the files and add (not commit) the image's row."""
    write_files(processed)
    image = Image(
        digest=processed.digest,
        kind=processed.kind,
        width=processed.width,
        height=processed.height,
        byte_size=byte_size,
        animated=processed.animated,
        renditions=processed.renditions,
        uploaded_by_id=user.id if user is not None else None,
        **described,
    )
    db.session.add(image)
    return image


def content_type(name: str) -> str | None:
    match = FILE_NAME.match(name)
    return CONTENT_TYPES[match.group(2)] if match else None


def file_url(image: Image, name: str, external: bool = False) -> str:
    return url_for("media.file", digest=image.digest, name=name, _external=external)


def srcset(image: Image, kind: str | None = None) -> str:
    """``url 480w, url 960w, …`` for ``kind`` (the image's own type by default)."""
    kind = kind or image.kind
    return ", ".join(
        f"{file_url(image, r['files'][kind])} {r['width']}w"
        for r in image.renditions
        if kind in r["files"]
    )


def fallback(image: Image) -> dict:
    """The rendition an ``<img src>`` shows without srcset: 960 px wide, or the nearest."""
    under = [r for r in image.renditions if r["width"] <= 960]
    return (under or image.renditions)[-1]


def src(image: Image) -> str:
    return file_url(image, fallback(image)["files"][image.kind])


def share_url(image: Image) -> str:
    """Absolute URL of the largest rendition in the image's own type (for og:image, JSON-LD)."""
    largest = image.renditions[-1]
    base = current_app.config["SITE_URL"]
    path = file_url(image, largest["files"][image.kind])
    return base + path if base else file_url(image, largest["files"][image.kind], external=True)


def lead_image_url(article) -> str | None:
    """The absolute URL to share for a story's lead image: our largest rendition, or its URL."""
    return share_url(article.image) if article.image is not None else article.image_url


def has_webp(image: Image) -> bool:
    return image.kind != "webp" and all("webp" in r["files"] for r in image.renditions)


def extension(kind: str) -> str:
    return EXTENSIONS[kind]
