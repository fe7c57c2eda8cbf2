"""Uploading through the desk: what is kept, what is refused (and why), and how files are served."""
from __future__ import annotations

import io
import os

from sqlalchemy import func, select

from newsroom.extensions import db
from newsroom.models import Article, Image, Role
from tests.factories import user
from tests.helpers import sign_in_session
from tests.media import images

CACHE = "public, max-age=31536000, immutable"


def upload(client, data: bytes, filename: str = "harbour.jpg", query: str = "", **fields):
    form = {"alt": "Fishing boats moored at the harbour wall", "caption": "Low tide",
            "credit": "Photo: Ines Varga", **fields}
    if data is not None:
        form["file"] = (io.BytesIO(data), filename)
    return client.post(f"/editor/media/upload{query}", data=form,
                       content_type="multipart/form-data")


def only_image() -> Image:
    return db.session.scalars(select(Image)).one()


def test_an_upload_is_stored_clean_under_its_digest_and_served_for_a_year(app, client, editor):
    response = upload(client, images.jpeg_with_gps(), filename="IMG_2041 home address.jpg")
    image = only_image()
    assert response.status_code == 302 and response.location.endswith(f"/editor/media/{image.id}")
    assert (image.kind, image.width, image.height, image.filename) == (
        "jpeg", 400, 640, "IMG_2041 home address.jpg"
    )
    assert image.uploaded_by_id == editor.id and image.alt.startswith("Fishing boats")
    folder = os.path.join(app.config["MEDIA_DIR"], image.digest)
    assert sorted(os.listdir(folder)) == ["400.jpg", "400.webp"]
    for root, dirs, files in os.walk(app.config["MEDIA_DIR"]):
        assert not any("IMG_2041" in name for name in dirs + files)
    served = client.get(f"/media/{image.digest}/400.jpg")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.headers["Cache-Control"] == CACHE  # even for a signed-in editor
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert b"GPS" not in served.data and b"Harbour Cam" not in served.data
    assert client.get(f"/media/{image.digest}/400.webp").mimetype == "image/webp"


def test_media_urls_outside_the_layout_are_not_found(app, client):
    for path in ("/media/abc/400.jpg", "/media/" + "a" * 64 + "/400.exe",
                 "/media/" + "a" * 64 + "/..%2Fsecret_key", "/media/" + "a" * 64 + "/400.jpg"):
        assert client.get(path).status_code == 404, path


def test_the_same_file_twice_is_one_image(client, editor):
    data = images.png(300, 200)
    upload(client, data)
    response = upload(client, data, alt="Another description")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Image.id))) == 1
    assert only_image().alt == "Fishing boats moored at the harbour wall"


def test_refused_uploads_say_why_and_keep_what_was_typed(client, editor):
    cases = [
        (b"Minutes of the harbour board\n" * 40, "harbour.jpg", "not an image"),
        (images.tiff(), "scan.png", "TIFF images are not supported"),
        (images.png_header_only(40_000, 40_000), "bomb.png", "too many pixels"),
    ]
    for data, name, reason in cases:
        response = upload(client, data, filename=name, caption="Kept caption <b>",
                          credit="Kept credit")
        assert response.status_code == 400, name
        assert reason in response.text and "Error: Upload an image" in response.text, name
        assert "Kept caption &lt;b&gt;" in response.text and 'value="Kept credit"' in response.text
    missing = upload(client, images.png(100, 80), alt="")
    assert missing.status_code == 400 and "Please describe the image" in missing.text
    nothing = upload(client, None)
    assert nothing.status_code == 400 and "Please choose an image file" in nothing.text
    assert db.session.scalar(select(func.count(Image.id))) == 0


def test_the_upload_limit_applies_to_the_upload_route_only(make_app, tmp_path):
    app = make_app(MEDIA_DIR=str(tmp_path / "m"), MAX_UPLOAD_BYTES=300_000)
    with app.app_context():
        client = app.test_client()
        staff = user(Role.EDITOR)
        db.session.commit()
        sign_in_session(client, staff.get_id())
        just_over = upload(client, images.noise_png(320_000), credit="Kept credit")
        assert just_over.status_code == 400
        assert "The file is too large" in just_over.text
        assert 'value="Kept credit"' in just_over.text
        far_over = upload(client, images.noise_png(900_000))
        assert far_over.status_code == 413 and "too large" in far_over.text
        assert 'enctype="multipart/form-data"' in far_over.text  # the form again, not a dead end
        fits = upload(client, images.noise_png(250_000))
        assert fits.status_code == 302
        # Every other form keeps its 1 MiB limit, however large the upload limit is.
        big_story = client.post(
            "/editor/articles/new", data={"headline": "x", "body": "y" * 1_200_000}
        )
        assert big_story.status_code == 413


def test_the_same_file_uploaded_at_the_same_moment_is_still_one_image(client, editor, monkeypatch):
    data = images.png(320, 200)
    upload(client, data)
    # The second upload checks before the first one's row exists, as in a race.
    monkeypatch.setattr("newsroom.media.library.existing_image", lambda digest: None)
    response = upload(client, data, alt="A racing description")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(Image.id))) == 1
