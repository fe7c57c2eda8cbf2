"""The media library at /editor/media: upload, find and reuse images, and where each is used."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import RequestEntityTooLarge

from newsroom.auth import current_staff
from newsroom.editors.blueprint import blueprint
from newsroom.editors.forms import PlaceImageForm, UploadForm
from newsroom.editors.media_picker import upload_refused, uploaded, wants_json
from newsroom.editors.services import PublishRefused, place_image
from newsroom.errors import render_error
from newsroom.extensions import db
from newsroom.media.library import figure_html, search, upload, usage
from newsroom.media.processing import ImageRefused, human_size
from newsroom.media.storage import existing_image
from newsroom.models import Article, Image, utcnow
from newsroom.pagination import paginate_request

PER_PAGE = 24
PLACED = {"lead": "set as the story's lead image", "body": "added at the end of the story's body"}


@blueprint.get("/media")
def media():
    """The library: images newest first, searched by alt text, caption, credit or file name."""
    text = request.args.get("q", "").strip()[:200]
    page = paginate_request(search(text), PER_PAGE)
    return render_template(
        "editors/media.html",
        page=page,
        q=text,
        used=usage([image.id for image in page.items]),
        story=_story_arg(),
        use=request.args.get("use") if request.args.get("use") in PLACED else "lead",
        place_form=PlaceImageForm(formdata=None),
    )


@blueprint.get("/media/<int:image_id>")
def media_image(image_id: int):
    """One image: its renditions, the HTML to put it in a body, and the stories using it."""
    image = db.get_or_404(Image, image_id)
    return render_template(
        "editors/media_image.html",
        image=image,
        used=usage([image.id])[image.id],
        snippet=figure_html(image),
    )


@blueprint.route("/media/upload", methods=["GET", "POST"])
def upload_media():
    """Upload an image; with a story, it becomes its lead image or goes into its body."""
    form = UploadForm(article_id=request.args.get("article", type=int),
                      use=request.args.get("use", ""))
    story = db.session.get(Article, form.article_id.data) if form.article_id.data else None
    if not form.validate_on_submit():
        return upload_refused(form) if wants_json() else _upload_page(form, story)
    try:
        image, created = upload(
            form.file.data.stream, form.file.data.filename, _max_bytes(), current_staff(),
            alt=form.alt.data, caption=form.caption.data, credit=form.credit.data,
        )
    except ImageRefused as refused:
        form.file.errors.append(str(refused))
        return upload_refused(form) if wants_json() else _upload_page(form, story)
    try:
        db.session.flush()
    except IntegrityError:  # the same file, uploaded by someone else at the same moment
        digest = image.digest
        db.session.rollback()
        image, created = existing_image(digest), False
    message = "Image added to the library." if created else (
        "This file is already in the library: that image is used, with its own descriptions."
    )
    if wants_json():  # the editor's dialog inserts it at the caret itself
        db.session.commit()
        return uploaded(image, created)
    if story is not None and form.use.data in PLACED:
        return _place(story, image, form.use.data, message)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".media_image", image_id=image.id))


@blueprint.post("/media/<int:image_id>/place")
def place_media(image_id: int):
    """Use a library image in a story, as its lead image or at the end of its body."""
    image = db.get_or_404(Image, image_id)
    form = PlaceImageForm()
    if not form.validate_on_submit():
        flash("That image could not be placed: please choose it again.", "error")
        return redirect(url_for(".media"))
    story = db.get_or_404(Article, form.article_id.data)
    return _place(story, image, form.use.data, "")


@blueprint.app_errorhandler(RequestEntityTooLarge)
def too_large(error):
    """An upload bigger than the limit: the form again, saying so (other forms: the error page)."""
    if request.endpoint != "editors.upload_media":
        return render_error(error)
    form = UploadForm(formdata=None, article_id=request.args.get("article", type=int),
                      use=request.args.get("use", ""))
    form.file.errors = [f"The file is too large: the limit is {human_size(_max_bytes())}."]
    if wants_json():
        return upload_refused(form, 413)
    story = db.session.get(Article, form.article_id.data) if form.article_id.data else None
    return _upload_page(form, story, status=413)


def _place(story: Article, image: Image, use: str, message: str):
    try:
        place_image(story, image, use, current_staff(), utcnow())
    except PublishRefused as refused:
        db.session.rollback()
        flash(f"The image was not placed: {refused}", "error")
        return redirect(url_for(".edit_article", article_id=story.id))
    db.session.commit()
    flash(f"{message} Image {PLACED[use]}.".strip(), "success")
    return redirect(url_for(".edit_article", article_id=story.id))


def _upload_page(form: UploadForm, story: Article | None, status: int | None = None):
    if status is None:
        status = 400 if form.is_submitted() else 200
    return render_template("editors/media_upload.html", form=form, story=story), status


def _story_arg() -> Article | None:
    story_id = request.args.get("article", type=int)
    return db.session.get(Article, story_id) if story_id else None


def _max_bytes() -> int:
    return current_app.config["MAX_UPLOAD_BYTES"]
