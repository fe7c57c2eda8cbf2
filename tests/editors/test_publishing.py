"""Publish now, schedule, unpublish; the attribution rule; concurrent edits refused."""
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from newsroom.editors import articles as article_views
from newsroom.extensions import db
from newsroom.models import Article, ArticleRevision, Role, utcnow
from tests.editors.helpers import article_form


@pytest.fixture
def editor(login_as):
    return login_as(Role.EDITOR, name="Mara Inkwell")


def _actions(article_id):
    return [
        r.action
        for r in db.session.scalars(
            select(ArticleRevision)
            .where(ArticleRevision.article_id == article_id)
            .order_by(ArticleRevision.id)
        )
    ]


def test_publish_now_makes_the_story_public(client, editor, make):
    article = make.article("Quay reopens", slug="quay-reopens", published=False)
    db.session.commit()
    response = client.post(f"/editor/articles/{article.id}/publish")
    assert response.status_code == 302
    db.session.expire_all()
    assert article.is_published(utcnow())
    assert _actions(article.id) == ["published"]
    assert client.get("/articles/quay-reopens").status_code == 200
    page = client.get(f"/editor/articles/{article.id}")
    assert "Published" in page.text and "Publish now" not in page.text


def test_schedule_hides_the_story_until_its_time(client, editor, make):
    article = make.article("Regatta", slug="regatta", published=False)
    db.session.commit()
    when = (utcnow() + timedelta(hours=3)).replace(second=0, microsecond=0)
    response = client.post(
        f"/editor/articles/{article.id}/schedule",
        data={"publish_at": when.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert article.published_at == when
    assert client.get("/articles/regatta").status_code == 404
    assert "regatta" not in client.get("/").text
    desk = client.get("/editor/?state=scheduled")
    assert "Regatta" in desk.text
    # the time passes: no worker needed, readers filter on the clock
    db.session.execute(
        update(Article)
        .where(Article.id == article.id)
        .values(published_at=utcnow() - timedelta(minutes=1))
    )
    db.session.commit()
    assert client.get("/articles/regatta").status_code == 200
    assert _actions(article.id) == ["scheduled"]


def test_schedule_refuses_a_past_time_and_shows_the_error(client, editor, make):
    article = make.article(published=False)
    db.session.commit()
    past = (utcnow() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/editor/articles/{article.id}/schedule", data={"publish_at": past})
    assert response.status_code == 400
    assert "Choose a time in the future" in response.text
    assert f'value="{past}"' in response.text
    assert "UTC" in response.text
    empty = client.post(f"/editor/articles/{article.id}/schedule", data={"publish_at": ""})
    assert empty.status_code == 400 and "Please choose a date and time." in empty.text
    db.session.expire_all()
    assert article.published_at is None


def test_unpublish_takes_a_story_back_to_draft(client, editor, make):
    article = make.article(slug="gone-again")
    db.session.commit()
    response = client.post(f"/editor/articles/{article.id}/unpublish")
    assert response.status_code == 302
    db.session.expire_all()
    assert article.published_at is None
    assert client.get("/articles/gone-again").status_code == 404
    assert _actions(article.id) == ["unpublished"]


def test_publish_is_refused_for_a_syndicated_story_without_its_original_url(client, editor, make):
    article = make.syndicated_article(published=False, original_url=None)
    db.session.commit()
    response = client.post(f"/editor/articles/{article.id}/publish")
    assert response.status_code == 400
    assert 'id="publish-error"' in response.text
    assert "needs the original story&#39;s URL" in response.text
    db.session.expire_all()
    assert article.published_at is None and _actions(article.id) == []
    later = (utcnow() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    scheduled = client.post(f"/editor/articles/{article.id}/schedule", data={"publish_at": later})
    assert scheduled.status_code == 400 and 'id="publish-error"' in scheduled.text


def test_an_ingested_story_cannot_shed_its_outlet_to_be_published(client, editor, make):
    article = make.syndicated_article(published=False)
    db.session.commit()
    cleared = client.post(
        f"/editor/articles/{article.id}/edit",
        data=article_form(article, outlet_id="", original_url=""),
    )
    assert cleared.status_code == 302  # a draft may be edited freely
    response = client.post(f"/editor/articles/{article.id}/publish")
    assert response.status_code == 400
    assert "came from an outlet&#39;s feed" in response.text
    later = (utcnow() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    scheduled = client.post(f"/editor/articles/{article.id}/schedule", data={"publish_at": later})
    assert scheduled.status_code == 400 and "came from an outlet&#39;s feed" in scheduled.text
    db.session.expire_all()
    assert article.published_at is None


def test_a_published_ingested_story_keeps_its_outlet_and_url(client, editor, make):
    article = make.syndicated_article(published=True)
    db.session.commit()
    kept = (article.outlet_id, article.original_url, article.headline)
    response = client.post(
        f"/editor/articles/{article.id}/edit",
        data=article_form(article, outlet_id="", original_url="", headline="Retitled"),
    )
    assert response.status_code == 400
    assert 'id="outlet_id-error"' in response.text and 'value="Retitled"' in response.text
    db.session.expire_all()
    assert (article.outlet_id, article.original_url, article.headline) == kept


def test_the_save_service_refuses_to_strip_a_published_storys_credit(app, make):
    from newsroom.editors.services import ARTICLE_FIELDS, PublishRefused, save_article

    article = make.syndicated_article(published=True)
    editor = make.user(Role.EDITOR)
    db.session.commit()
    data = {name: getattr(article, name) for name in ARTICLE_FIELDS}
    with pytest.raises(PublishRefused):
        save_article(article, dict(data, original_url=None), editor, utcnow())
    with pytest.raises(PublishRefused):
        save_article(article, dict(data, outlet_id=None, original_url=None), editor, utcnow())
    assert article.original_url and article.outlet_id is not None
    own = make.article(published=True)
    db.session.flush()
    own_data = {name: getattr(own, name) for name in ARTICLE_FIELDS}
    assert save_article(own, dict(own_data, headline="Own story, retitled"), editor, utcnow())


def test_publishing_an_ingested_story_marks_it_for_ingest_to_leave_alone(client, editor, make):
    article = make.syndicated_article(published=False)
    db.session.commit()
    client.post(f"/editor/articles/{article.id}/publish")
    db.session.expire_all()
    assert article.edited_by_staff is True


def test_an_edit_from_an_older_version_is_refused_and_the_typed_text_kept(
    client, editor, make, login_as
):
    article = make.article("Ferry times", published=False)
    db.session.commit()
    stale = article_form(article, headline="My version of the headline", standfirst="My standfirst")
    # someone else saves in the meantime
    article.byline = "Another editor"
    db.session.add(
        ArticleRevision(
            article=article,
            user=make.user(Role.EDITOR, name="Kit Quire"),
            action="edited",
            changes={"byline": ["", "Another editor"]},
        )
    )
    db.session.commit()
    assert article.version == 2
    response = client.post(f"/editor/articles/{article.id}/edit", data=stale)
    assert response.status_code == 409
    assert "Kit Quire saved this story at" in response.text
    assert "since you opened it" in response.text
    assert (
        'value="My version of the headline"' in response.text and "My standfirst" in response.text
    )
    assert 'name="version" type="hidden" value="2"' in response.text  # saving again is deliberate
    db.session.expire_all()
    assert article.headline == "Ferry times" and article.byline == "Another editor"


def test_a_save_racing_another_is_refused_by_the_version_column(client, editor, make, monkeypatch):
    article = make.article("Race", published=False)
    db.session.commit()
    real_save = article_views.save_article

    def save_while_someone_else_commits(article_, data, user, now):
        # another request commits between our read and our write
        with db.engine.begin() as connection:
            connection.execute(
                update(Article).where(Article.id == article_.id).values(byline="Other", version=2)
            )
        return real_save(article_, data, user, now)

    monkeypatch.setattr(article_views, "save_article", save_while_someone_else_commits)
    response = client.post(
        f"/editor/articles/{article.id}/edit", data=article_form(article, headline="Mine")
    )
    assert response.status_code == 409
    assert "since you opened it" in response.text and 'value="Mine"' in response.text
    db.session.expire_all()
    assert article.headline == "Race" and article.byline == "Other"


@pytest.mark.parametrize("action", ["publish", "schedule", "unpublish"])
def test_a_publishing_action_racing_a_save_is_refused_not_a_crash(
    client, editor, make, monkeypatch, action
):
    article = make.article("Race", published=action == "unpublish")
    db.session.commit()
    service = {"publish": "publish_now", "schedule": "schedule", "unpublish": "unpublish"}[action]
    real = getattr(article_views, service)

    def act_while_someone_else_commits(article_, *args):
        with db.engine.begin() as connection:  # another request commits in between
            connection.execute(
                update(Article).where(Article.id == article_.id).values(byline="Other", version=9)
            )
        return real(article_, *args)

    monkeypatch.setattr(article_views, service, act_while_someone_else_commits)
    later = (utcnow() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/editor/articles/{article.id}/{action}", data={"publish_at": later})
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).text
    assert "Someone else saved this story at the same moment" in page
    db.session.expire_all()
    assert article.byline == "Other" and article.version == 9
    assert _actions(article.id) == []


def test_the_desk_says_whether_ingest_may_still_update_a_story(client, editor, make):
    draft = make.syndicated_article(published=False)
    auto_published = make.syndicated_article(published=True)  # by --publish: nobody edited it
    db.session.commit()
    assert "a newer version in the feed will update it" in client.get(
        f"/editor/articles/{draft.id}"
    ).text
    page = client.get(f"/editor/articles/{auto_published.id}").text
    assert "ingest leaves it alone" in page and "will update it" not in page


def test_unpublishing_an_auto_published_story_keeps_ingest_off_it(client, editor, make):
    article = make.syndicated_article(published=True)  # published by the ingest, not an editor
    db.session.commit()
    assert article.edited_by_staff is False
    client.post(f"/editor/articles/{article.id}/unpublish")
    db.session.expire_all()
    assert article.published_at is None and article.edited_by_staff is True
