"""Writing and editing stories at the desk: slugs, sanitising, attribution, redirects."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import Article, ArticleRevision, Role, SlugRedirect, utcnow
from tests.editors.helpers import article_form


@pytest.fixture
def editor(login_as):
    return login_as(Role.EDITOR, name="Mara Inkwell")


def _only_article() -> Article:
    return db.session.scalars(select(Article)).one()


def test_new_story_is_a_draft_with_a_slug_from_its_headline(client, editor, make):
    section = make.section("Harbour")
    db.session.commit()
    response = client.post(
        "/editor/articles/new",
        data=article_form(headline="Café owners’ new rules!", section_id=section.id, byline="Mara"),
    )
    article = _only_article()
    assert response.status_code == 302
    assert response.location == f"/editor/articles/{article.id}"
    assert article.slug == "cafe-owners-new-rules"
    assert article.published_at is None
    assert article.section_id == section.id and article.byline == "Mara"
    assert article.comments_enabled is True
    assert client.get(f"/articles/{article.slug}").status_code == 404  # a draft is not public


def test_slugs_are_made_unique_by_suffix(client, editor, make):
    make.article("Tide tables", slug="tide-tables")
    db.session.commit()
    client.post("/editor/articles/new", data=article_form(headline="Tide tables"))
    client.post("/editor/articles/new", data=article_form(headline="Tide  tables!"))
    slugs = set(db.session.scalars(select(Article.slug)))
    assert slugs == {"tide-tables", "tide-tables-2", "tide-tables-3"}


def test_a_typed_slug_is_used_and_validated(client, editor, make):
    make.article("Taken", slug="taken-slug")
    db.session.commit()
    bad = client.post("/editor/articles/new", data=article_form(slug="Not a slug!"))
    assert bad.status_code == 400
    assert "Use lowercase letters, digits and single hyphens" in bad.text
    assert 'value="not a slug!"' in bad.text  # what was typed is shown again
    taken = client.post("/editor/articles/new", data=article_form(slug="taken-slug"))
    assert taken.status_code == 400
    assert "Another story uses (or used) this slug" in taken.text
    good = client.post("/editor/articles/new", data=article_form(slug="my-own-slug"))
    assert good.status_code == 302
    assert db.session.scalar(select(Article).where(Article.slug == "my-own-slug"))


def test_required_fields_and_errors_beside_them_keep_the_typed_text(client, editor):
    response = client.post(
        "/editor/articles/new",
        data=article_form(
            headline="", standfirst="Kept standfirst", image_url="javascript:alert(1)"
        ),
    )
    assert response.status_code == 400
    assert 'id="headline-error"' in response.text and "Please write a headline." in response.text
    assert 'id="image_url-error"' in response.text
    assert "Kept standfirst" in response.text
    assert db.session.scalar(select(Article)) is None


def test_body_is_sanitised_on_save(client, editor):
    hostile = (
        '<p onclick="steal()">Hello <a href="javascript:alert(1)">there</a></p>'
        "<script>alert('x')</script><style>p{}</style>"
        '<iframe src="https://evil.example"></iframe>'
        '<img src="x" onerror="alert(1)"><h2>Fine heading</h2>'
    )
    client.post("/editor/articles/new", data=article_form(body=hostile))
    body = _only_article().body
    for bad in ("onclick", "javascript:", "<script", "alert('x')", "<style", "<iframe", "onerror"):
        assert bad not in body
    assert "<h2>Fine heading</h2>" in body and "Hello" in body


def test_syndicated_body_links_are_made_absolute_against_the_original(client, editor, make):
    outlet = make.outlet("Valley Ledger")
    db.session.commit()
    client.post(
        "/editor/articles/new",
        data=article_form(
            body='<p><a href="/more">more</a> <img src="pic.jpg" alt=""></p>',
            outlet_id=outlet.id,
            original_url="https://valley-ledger.example/news/story",
        ),
    )
    body = _only_article().body
    assert 'href="https://valley-ledger.example/more"' in body
    assert 'src="https://valley-ledger.example/news/pic.jpg"' in body


def test_original_url_needs_an_outlet(client, editor):
    response = client.post(
        "/editor/articles/new", data=article_form(original_url="https://elsewhere.example/s")
    )
    assert response.status_code == 400
    assert 'id="outlet_id-error"' in response.text
    assert "An original URL needs the outlet" in response.text


def test_a_lead_image_needs_alt_text_and_the_typed_text_is_kept(client, editor):
    response = client.post(
        "/editor/articles/new",
        data=article_form(headline="Pier reopens", image_url="https://img.example/pier.jpg"),
    )
    assert response.status_code == 400 and 'id="image_alt-error"' in response.text
    assert "Pier reopens" in response.text and "https://img.example/pier.jpg" in response.text
    assert db.session.scalars(select(Article)).all() == []


def test_featured_image_takes_only_http_urls(client, editor):
    for bad in ("data:image/png;base64,AAAA", "http://[::1/a.jpg", "https://"):
        response = client.post("/editor/articles/new", data=article_form(image_url=bad))
        assert response.status_code == 400 and 'id="image_url-error"' in response.text, bad
    assert db.session.scalars(select(Article)).all() == []
    client.post(
        "/editor/articles/new",
        data=article_form(
            image_url="https://img.example/a.jpg", image_caption="Dusk", image_credit="Photo: Kit",
            image_alt="The harbour wall at dusk",
        ),
    )
    article = _only_article()
    assert (article.image_url, article.image_caption, article.image_credit) == (
        "https://img.example/a.jpg",
        "Dusk",
        "Photo: Kit",
    )


def test_edit_saves_fields_and_records_what_changed(client, editor, make):
    article = make.article("First headline", published=False, byline="Old")
    db.session.commit()
    form = client.get(f"/editor/articles/{article.id}/edit")
    assert 'name="version" type="hidden" value="1"' in form.text
    response = client.post(
        f"/editor/articles/{article.id}/edit",
        data=article_form(article, headline="Second headline", byline="New", comments_enabled=None),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert article.headline == "Second headline" and article.comments_enabled is False
    assert article.slug != "second-headline"  # the slug stays unless changed by hand
    revision = db.session.scalars(select(ArticleRevision)).one()
    assert revision.action == "edited" and revision.user_id == editor.id
    assert revision.changes == {
        "headline": ["First headline", "Second headline"],
        "byline": ["Old", "New"],
        "comments_enabled": [True, False],
    }
    page = client.get(f"/editor/articles/{article.id}")
    assert "Mara Inkwell" in page.text and "Second headline" in page.text and "Edited" in page.text


def test_saving_without_changes_records_nothing(client, editor, make):
    article = make.article(published=False)
    db.session.commit()
    client.post(f"/editor/articles/{article.id}/edit", data=article_form(article))
    assert db.session.scalars(select(ArticleRevision)).all() == []


def test_long_bodies_are_cut_to_the_change_in_the_record(client, editor, make):
    before = "<p>" + "Calm sea. " * 200 + "</p>"
    article = make.article(published=False, body=before)
    db.session.commit()
    after = before.replace("Calm sea. </p>", "Storm coming.</p>")
    client.post(f"/editor/articles/{article.id}/edit", data=article_form(article, body=after))
    old, new = db.session.scalars(select(ArticleRevision)).one().changes["body"]
    assert len(old) < 400 and len(new) < 400
    assert old.startswith("…") and "Storm coming." in new
    assert "characters" not in new  # the excerpt reaches the end of the new text


def test_creation_is_recorded(client, editor):
    client.post("/editor/articles/new", data=article_form(byline="Ola"))
    revision = db.session.scalars(select(ArticleRevision)).one()
    assert revision.action == "created"
    assert revision.changes["headline"] == [None, "Harbour lights switched on"]
    assert revision.changes["byline"] == [None, "Ola"]


def test_editing_an_ingested_story_marks_it_edited_by_staff(client, editor, make):
    article = make.syndicated_article(published=False)
    db.session.commit()
    assert article.edited_by_staff is False
    client.post(f"/editor/articles/{article.id}/edit", data=article_form(article, standfirst="New"))
    db.session.expire_all()
    assert article.edited_by_staff is True


def test_published_story_keeps_its_url_and_old_slug_redirects(client, editor, make):
    article = make.article("Old headline", slug="old-headline")
    db.session.commit()
    client.post(
        f"/editor/articles/{article.id}/edit",
        data=article_form(article, headline="Better headline"),
    )
    db.session.expire_all()
    assert article.slug == "old-headline"
    client.post(f"/editor/articles/{article.id}/edit", data=article_form(article, slug="new-slug"))
    db.session.expire_all()
    assert article.slug == "new-slug"
    assert db.session.scalars(select(SlugRedirect.old_slug)).all() == ["old-headline"]
    old = client.get("/articles/old-headline")
    assert old.status_code == 301 and old.location.endswith("/articles/new-slug")
    assert client.get("/articles/new-slug").status_code == 200


def test_taking_back_a_former_slug_removes_its_redirect(client, editor, make):
    article = make.article("Story", slug="first")
    db.session.commit()
    client.post(f"/editor/articles/{article.id}/edit", data=article_form(article, slug="second"))
    db.session.expire_all()
    client.post(f"/editor/articles/{article.id}/edit", data=article_form(article, slug="first"))
    assert db.session.scalars(select(SlugRedirect.old_slug)).all() == ["second"]
    assert client.get("/articles/first").status_code == 200
    assert client.get("/articles/second").status_code == 301


def test_a_draft_slug_change_needs_no_redirect(client, editor, make):
    article = make.article("Draft", slug="draft-one", published=False)
    db.session.commit()
    client.post(f"/editor/articles/{article.id}/edit", data=article_form(article, slug="draft-two"))
    assert db.session.scalars(select(SlugRedirect)).all() == []


def test_published_syndicated_story_cannot_lose_its_original_url(client, editor, make):
    article = make.syndicated_article()
    db.session.commit()
    response = client.post(
        f"/editor/articles/{article.id}/edit", data=article_form(article, original_url="")
    )
    assert response.status_code == 400
    assert 'id="original_url-error"' in response.text
    assert "needs the original story&#39;s URL" in response.text


def test_original_publication_date_is_read_as_utc(client, editor, make):
    outlet = make.outlet()
    db.session.commit()
    client.post(
        "/editor/articles/new",
        data=article_form(
            outlet_id=outlet.id,
            original_url="https://o.example/s",
            original_author="Ada",
            original_published_at="2026-03-04T05:06",
        ),
    )
    article = _only_article()
    assert article.original_published_at == datetime(2026, 3, 4, 5, 6, tzinfo=timezone.utc)
    assert article.original_author == "Ada" and article.outlet_id == outlet.id


def test_unknown_story_is_404(client, editor):
    assert client.get("/editor/articles/999999/edit").status_code == 404
    assert client.post("/editor/articles/999999/publish").status_code == 404


def test_the_desk_page_shows_revisions_paginated(client, editor, make):
    article = make.article(published=False)
    for n in range(25):
        db.session.add(
            ArticleRevision(
                article=article,
                user=editor,
                action="edited",
                changes={"byline": [str(n), str(n + 1)]},
                created_at=utcnow() - timedelta(minutes=100 - n),
            )
        )
    db.session.commit()
    first = client.get(f"/editor/articles/{article.id}")
    assert first.text.count('<th scope="row">byline</th>') == 20
    assert ">24<" in first.text and 'rel="next"' in first.text
    second = client.get(f"/editor/articles/{article.id}?page=2")
    assert second.text.count('<th scope="row">byline</th>') == 5


def test_an_unchanged_original_date_keeps_its_seconds(client, editor, make):
    published = datetime(2026, 11, 20, 17, 5, 33, tzinfo=timezone.utc)
    article = make.syndicated_article(published=False, original_published_at=published)
    db.session.commit()
    client.post(f"/editor/articles/{article.id}/edit", data=article_form(article, byline="Desk"))
    db.session.expire_all()
    assert article.original_published_at == published
    revision = db.session.scalars(select(ArticleRevision)).one()
    assert list(revision.changes) == ["byline"]


def test_a_slug_taken_at_the_same_moment_is_reported_not_a_crash(client, editor, make, monkeypatch):
    from newsroom.editors import services

    make.article("Taken meanwhile", slug="taken-meanwhile")
    db.session.commit()
    # the other save lands between our uniqueness check and our commit
    monkeypatch.setattr(services, "unique_slug", lambda *args, **kwargs: "taken-meanwhile")
    response = client.post("/editor/articles/new", data=article_form(headline="Taken meanwhile"))
    assert response.status_code == 400
    assert "Another story took this slug a moment ago" in response.text
    assert 'value="Taken meanwhile"' in response.text


def test_closing_comments_at_the_desk_hides_the_readers_reply_form(app, client, editor, make):
    article = make.article("Pier talk", slug="pier-talk", published=True)
    db.session.commit()

    def reader_page() -> str:
        with app.app_context():  # an anonymous reader's own request (and the page cache)
            return app.test_client().get("/articles/pier-talk").text

    assert 'name="body"' in reader_page()
    response = client.post(
        f"/editor/articles/{article.id}/edit", data=article_form(article, comments_enabled=None)
    )
    assert response.status_code == 302 and response.headers["Location"].startswith("/editor/")
    page = reader_page()
    assert 'name="body"' not in page and "Comments are closed" in page
    db.session.expire_all()
    client.post(
        f"/editor/articles/{article.id}/edit",
        data=article_form(db.session.get(Article, article.id), comments_enabled="y"),
    )
    assert 'name="body"' in reader_page()


def test_the_form_offers_every_field_and_says_times_are_utc(client, editor, make):
    page = client.get("/editor/articles/new").text
    for name in (
        "headline", "slug", "standfirst", "body", "section_id", "byline", "image_url",
        "image_alt", "image_id", "image_caption", "image_credit", "comments_enabled", "outlet_id", "original_url",
        "original_author", "original_published_at",
    ):
        assert f'name="{name}"' in page, name
    assert "UTC" in page
    article = make.article(published=False)
    db.session.commit()
    desk = client.get(f"/editor/articles/{article.id}").text
    assert 'name="publish_at"' in desk and "Times are in UTC" in desk


def test_an_unparseable_original_url_is_refused_beside_the_field(client, editor, make):
    outlet = make.outlet()
    db.session.commit()
    form = article_form(
        body='<p><a href="/fine">relative, so made absolute against the original</a></p>',
        outlet_id=outlet.id,
        original_url="http://[::1/news/1",
    )
    response = client.post("/editor/articles/new", data=form)
    assert response.status_code == 400 and 'id="original_url-error"' in response.text
    assert db.session.scalars(select(Article)).all() == []
    form["original_url"] = "https://o.example/n/1"
    response = client.post("/editor/articles/new", data=form)
    assert response.status_code == 302
    assert 'href="https://o.example/fine"' in _only_article().body
