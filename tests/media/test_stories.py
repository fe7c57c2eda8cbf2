"""Images in stories: lead and body, the reader's srcset, share metadata, and the library."""
from __future__ import annotations

import io
import json
import re

from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import Article, ArticleRevision, Image
from tests.editors.helpers import article_form
from tests.media import images
from tests.media.test_upload import upload


def _story(make, **fields) -> Article:
    article = make.article("Harbour wall repaired", published=False, **fields)
    db.session.commit()
    return article


def test_an_upload_becomes_the_lead_image_and_readers_get_srcset(app, client, editor, make):
    article = _story(make)
    response = upload(client, images.jpeg_with_gps(2000, 1000, orientation=1), query=f"?article={article.id}&use=lead",
                      article_id=article.id, use="lead")
    assert response.status_code == 302 and response.location.endswith(f"/{article.id}/edit")
    db.session.expire_all()
    article = db.session.get(Article, article.id)
    image = db.session.scalars(select(Image)).one()
    assert article.image_id == image.id
    assert (article.image_alt, article.image_caption, article.image_credit) == (
        "Fishing boats moored at the harbour wall", "Low tide", "Photo: Ines Varga"
    )
    revision = db.session.scalars(select(ArticleRevision)).one()
    assert "image" in revision.changes and "image_alt" in revision.changes
    client.post(f"/editor/articles/{article.id}/publish")
    client.post("/logout")
    page = client.get(f"/articles/{article.slug}").text
    base = f"/media/{image.digest}/"
    assert (f'<source type="image/webp" srcset="{base}480.webp 480w, {base}960.webp 960w, '
            f'{base}1600.webp 1600w"') in page
    assert (f'<img src="{base}960.jpg" srcset="{base}480.jpg 480w, {base}960.jpg 960w, '
            f'{base}1600.jpg 1600w" sizes="') in page
    assert 'alt="Fishing boats moored at the harbour wall" width="960" height="480"' in page
    assert re.search(r"<figcaption>Low tide <span class=\"credit\">Photo: Ines Varga</span>", page)
    share = f"https://news.example{base}1600.jpg"
    assert f'<meta property="og:image" content="{share}">' in page
    assert f'<meta name="twitter:image" content="{share}">' in page
    json_ld = json.loads(re.search(r'ld\+json">(.*?)</script>', page, re.S).group(1))
    assert json_ld["image"] == [share]
    for candidate in (f"{base}480.webp", f"{base}1600.jpg"):
        assert client.get(candidate).status_code == 200


def test_an_upload_into_the_body_keeps_srcset_and_is_listed_as_used(app, client, editor, make):
    article = _story(make, body="<p>The wall held.</p>")
    upload(client, images.png(1200, 800), filename="wall.png",
           query=f"?article={article.id}&use=body", article_id=article.id, use="body")
    db.session.expire_all()
    article = db.session.get(Article, article.id)
    image = db.session.scalars(select(Image)).one()
    base = f"/media/{image.digest}/"
    assert article.body.startswith("<p>The wall held.</p>")
    assert (f'<img src="{base}960.png" srcset="{base}480.png 480w, {base}960.png 960w, '
            f'{base}1200.png 1200w" sizes="(min-width: 50rem) 46rem, 100vw" alt="Fishing boats'
            ) in article.body
    assert [i.id for i in article.body_images] == [image.id]
    library = client.get("/editor/media").text
    assert "In the body of" in library and "Harbour wall repaired" in library
    edited = client.post(f"/editor/articles/{article.id}/edit",
                         data=article_form(article, body="<p>No picture now.</p>"))
    assert edited.status_code == 302
    db.session.expire_all()
    assert db.session.get(Article, article.id).body_images == []
    assert "Not used in any story yet" in client.get(f"/editor/media/{image.id}").text


def test_a_library_image_is_reused_as_lead_and_alt_text_is_required(client, editor, make):
    upload(client, images.png(600, 400), filename="pier.png", alt="The pier at dawn")
    image = db.session.scalars(select(Image)).one()
    article = _story(make)
    picker = client.get(f"/editor/media?article={article.id}&use=lead").text
    assert "Use as lead image" in picker
    placed = client.post(f"/editor/media/{image.id}/place",
                         data={"article_id": article.id, "use": "lead"})
    assert placed.status_code == 302
    db.session.expire_all()
    article = db.session.get(Article, article.id)
    assert (article.image_id, article.image_alt) == (image.id, "The pier at dawn")
    refused = client.post(f"/editor/articles/{article.id}/edit",
                          data=article_form(article, image_alt="", headline="Typed headline"))
    assert refused.status_code == 400 and 'id="image_alt-error"' in refused.text
    assert 'value="Typed headline"' in refused.text
    removed = client.post(f"/editor/articles/{article.id}/edit",
                          data=article_form(article, image_alt="", remove_image="y"))
    assert removed.status_code == 302
    db.session.expire_all()
    assert db.session.get(Article, article.id).image_id is None
    usage = client.get("/editor/media").text
    assert "Not used in any story yet" in usage


def test_the_library_searches_and_pages_in_a_fixed_number_of_queries(
    client, editor, make, count_queries
):
    from PIL import Image as Pil

    for number in range(26):
        data = io.BytesIO()
        Pil.new("RGB", (40 + number, 30), (number * 9, 90, 140)).save(data, "PNG")
        upload(client, data.getvalue(), filename=f"buoy-{number}.png", alt=f"Buoy number {number}",
               caption="Marker buoys" if number % 2 else "Lobster pots",
               credit="Photo: Kit Marr" if number == 7 else "Photo: Ines Varga")
    first = client.get("/editor/media").text
    assert first.count('class="media-item"') == 24 and "Page 1 of 2" in first
    assert client.get("/editor/media?page=2").text.count('class="media-item"') == 2
    assert client.get("/editor/media?q=kit+marr").text.count('class="media-item"') == 1
    assert client.get("/editor/media?q=buoy-13.png").text.count('class="media-item"') == 1
    assert client.get("/editor/media?q=lobster").text.count('class="media-item"') == 13
    assert client.get("/editor/media?q=100%25").text.count('class="media-item"') == 0
    with count_queries() as few:
        client.get("/editor/media?q=buoy-1")
    with count_queries() as many:
        client.get("/editor/media")
    assert len(few) == len(many)
