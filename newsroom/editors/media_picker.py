"""The story editor's image dialog: the library as JSON, and uploads answered in JSON.

``static/js/media_dialog.js`` lists ``/editor/media/choices`` and posts the upload form to
``/editor/media/upload?format=json``; either way it gets the ``<figure>`` to insert at the caret
(newsroom/media/library.figure_html: srcset, sizes, alt, caption and credit), which the
article sanitiser keeps when the story is saved.
"""
from __future__ import annotations

from flask import jsonify, request

from newsroom.editors.blueprint import blueprint
from newsroom.media.library import figure_html, search
from newsroom.media.storage import file_url
from newsroom.models import Image
from newsroom.pagination import paginate_request

PER_PAGE = 12


def choice(image: Image) -> dict:
    """What the dialog shows of one image, and the HTML it inserts."""
    smallest = image.renditions[0]
    return {
        "id": image.id,
        "thumbnail": file_url(image, smallest["files"][image.kind]),
        "width": smallest["width"],
        "height": smallest["height"],
        "alt": image.alt,
        "caption": image.caption,
        "credit": image.credit,
        "filename": image.filename or f"Image {image.id}",
        "size": f"{image.width} × {image.height}",
        "figure": str(figure_html(image)),
    }


@blueprint.get("/media/choices")
def media_choices():
    """Library images newest first (``?q=`` searches), a page at a time, for the dialog."""
    text = request.args.get("q", "").strip()[:200]
    page = paginate_request(search(text), PER_PAGE, max_per_page=PER_PAGE)
    return jsonify(images=[choice(image) for image in page.items], page=page.page,
                   more=page.has_next, total=page.total, q=text)


def wants_json() -> bool:
    """The dialog's upload (a POST to ``?format=json``) rather than the upload page's form."""
    return request.method == "POST" and request.args.get("format") == "json"


def upload_refused(form, status: int = 400):
    """The upload's field errors, by field name, for the dialog to show next to each field."""
    return jsonify(errors={name: list(errors) for name, errors in form.errors.items()}), status


def uploaded(image: Image, created: bool):
    message = "Image added to the library." if created else (
        "This file is already in the library: that image is used, with its own descriptions.")
    return jsonify(image=choice(image), message=message), 201 if created else 200
