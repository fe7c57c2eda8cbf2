"""The story editor's image dialog: the library as JSON, uploads answered in JSON, the figure kept."""
from __future__ import annotations

from flask import g
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import Article, Image, Role
from tests.editors.helpers import article_form
from tests.helpers import sign_in_session
from tests.media import images
from tests.media.test_upload import upload


def test_the_choices_list_images_with_the_figure_to_insert(client, editor):
    upload(client, images.png(1200, 800), filename="quay.png", alt="The quay at low tide",
           caption="Boats aground", credit="Photo: Ines Varga")
    upload(client, images.png(300, 200), filename="gull.png", alt="A gull on a post",
           caption="", credit="")
    answer = client.get("/editor/media/choices").get_json()
    assert [i["alt"] for i in answer["images"]] == ["A gull on a post", "The quay at low tide"]
    assert (answer["total"], answer["more"], answer["page"]) == (2, False, 1)
    quay = answer["images"][1]
    assert quay["thumbnail"].endswith("/480.png") and quay["size"] == "1200 × 800"
    assert 'srcset="' in quay["figure"] and "480w" in quay["figure"]
    assert 'alt="The quay at low tide"' in quay["figure"]
    assert "<figcaption>Boats aground <small>Photo: Ines Varga</small></figcaption>" in quay["figure"]
    found = client.get("/editor/media/choices?q=gull").get_json()
    assert [i["filename"] for i in found["images"]] == ["gull.png"]
    assert client.get("/editor/media/choices?q=nothing-like-it").get_json()["total"] == 0


def test_the_choices_page_in_a_fixed_number_of_queries(client, editor, count_queries):
    def counted(n):
        for i in range(n):
            upload(client, images.png(40 + i, 30 + n), filename=f"p{n}-{i}.png")
        with count_queries() as queries:
            answer = client.get("/editor/media/choices").get_json()
        return len(queries), answer

    few, _ = counted(2)
    many, answer = counted(14)
    assert few == many
    assert len(answer["images"]) == 12 and answer["more"]
    second = client.get("/editor/media/choices?page=2").get_json()
    assert len(second["images"]) == 4 and not second["more"]
    assert client.get("/editor/media/choices?page=3").status_code == 404


def test_a_json_upload_answers_with_the_figure_or_the_field_errors(client, editor):
    created = upload(client, images.png(600, 400), query="?format=json")
    assert created.status_code == 201
    body = created.get_json()
    assert body["image"]["id"] == db.session.scalars(select(Image)).one().id
    assert "<figure><img" in body["image"]["figure"]
    assert upload(client, images.png(600, 400), query="?format=json").status_code == 200  # reused
    refused = upload(client, b"not an image at all", query="?format=json", alt="")
    assert refused.status_code == 400
    errors = refused.get_json()["errors"]
    assert "describe the image" in " ".join(errors["alt"])
    nothing = upload(client, None, query="?format=json")
    assert "choose an image file" in " ".join(nothing.get_json()["errors"]["file"])
    junk = upload(client, b"GIF89a but not really", filename="x.gif", query="?format=json")
    assert junk.status_code == 400 and junk.get_json()["errors"]["file"]
    assert db.session.query(Image).count() == 1


def test_a_too_large_json_upload_says_so_in_json(make_app, tmp_path):
    app = make_app(MEDIA_DIR=str(tmp_path / "media"), MAX_UPLOAD_BYTES=2000)
    with app.app_context():
        from tests import factories

        editor = factories.user(Role.EDITOR)
        db.session.commit()
        client = app.test_client()
        sign_in_session(client, editor.get_id())
        answer = upload(client, images.png(800, 800) + b"\0" * 80_000, query="?format=json")
        assert answer.status_code == 413
        assert "too large" in " ".join(answer.get_json()["errors"]["file"])


def test_the_inserted_figure_survives_the_sanitiser_and_readers_see_srcset(client, editor, make):
    figure = upload(client, images.png(1200, 800), query="?format=json").get_json()["image"]
    article = make.article("Quay reopened", published=True, body="<p>Before.</p>")
    db.session.commit()
    body = f"<p>Before.</p>{figure['figure']}<p>After.</p>"
    assert client.post(f"/editor/articles/{article.id}/edit",
                       data=article_form(article, body=body)).status_code == 302
    db.session.expire_all()
    article = db.session.get(Article, article.id)
    assert figure["figure"] in article.body
    assert [image.id for image in article.body_images] == [figure["id"]]
    page = client.get(f"/articles/{article.slug}").text
    assert "480w, " in page and 'sizes="(min-width: 50rem) 46rem, 100vw"' in page


def test_the_dialog_endpoints_are_for_editors(app, make):
    moderator = make.user(Role.MODERATOR)
    db.session.commit()
    client = app.test_client()
    assert client.get("/editor/media/choices").status_code == 302
    g.pop("_login_user", None)  # the test's app context (and g) outlives requests
    sign_in_session(client, moderator.get_id())
    assert client.get("/editor/media/choices").status_code == 403
    assert upload(client, images.png(60, 40), query="?format=json").status_code == 403


def test_the_story_form_carries_the_dialog_outside_the_story_form(client, editor, make):
    article = make.article("Harbour wall repaired", published=False)
    db.session.commit()
    page = client.get(f"/editor/articles/{article.id}/edit").text
    assert page.index("</form>\n<dialog") > page.index('class="desk-form"')
    assert 'data-editor-slot="media"' in page and "js/media_dialog.js" in page
    assert 'data-upload-url="/editor/media/upload?format=json"' in page


def test_a_get_of_the_upload_page_with_format_json_is_still_the_page(client, editor):
    answer = client.get("/editor/media/upload?format=json")
    assert answer.status_code == 200 and answer.mimetype == "text/html"
