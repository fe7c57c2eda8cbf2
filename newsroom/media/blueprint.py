"""The uploaded images' files at /media/<sha256>/<width>.<ext>, cached for a year."""
from __future__ import annotations

from flask import Blueprint, abort, send_from_directory
from markupsafe import Markup

from newsroom.media.storage import (
    DIGEST,
    SIZES,
    content_type,
    fallback,
    file_url,
    has_webp,
    media_dir,
    src,
    srcset,
)
from newsroom.models import Image

blueprint = Blueprint("media", __name__)

#: The files at a URL never change (the folder is the upload's digest).
CACHE_CONTROL = "public, max-age=31536000, immutable"


@blueprint.get("/media/<digest>/<name>")
def file(digest: str, name: str):
    """One rendition, with its own Content-Type (never guessed) and a year's cache lifetime."""
    mimetype = content_type(name)
    if not DIGEST.match(digest) or mimetype is None:
        abort(404)
    response = send_from_directory(media_dir() / digest, name, mimetype=mimetype, max_age=0)
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@blueprint.app_template_global()
def media_picture(image: Image, alt: str, sizes: str = SIZES) -> Markup:
    """``<picture>``: a WebP source, then an ``<img srcset sizes alt width height>`` fallback."""
    shown = fallback(image)
    source = (
        Markup('<source type="image/webp" srcset="{}" sizes="{}">').format(
            srcset(image, "webp"), sizes
        )
        if has_webp(image)
        else Markup("")
    )
    return Markup(
        '<picture>{}<img src="{}" srcset="{}" sizes="{}" alt="{}" width="{}" height="{}">'
        "</picture>"
    ).format(source, src(image), srcset(image), sizes, alt, shown["width"], shown["height"])


@blueprint.app_template_global()
def media_thumbnail(image: Image) -> str:
    """The smallest rendition, for the desk's lists."""
    return file_url(image, image.renditions[0]["files"][image.kind])
