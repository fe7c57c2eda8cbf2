"""The desk's "Source updated": the mark and filter, the diff (escaped), Apply and Dismiss."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from newsroom.editors.revisions import word_diff
from newsroom.extensions import db
from newsroom.models import Article, ArticleRevision, Role, SourceUpdate, SourceUpdateStatus, utcnow
from newsroom.syndication.updates import follow_source, pending_update
from tests import factories
from tests.helpers import sign_in_session


@pytest.fixture
def editor(login_as):
    return login_as(Role.EDITOR, name="Mara Inkwell")


def changed_at_source(article: Article, **fields) -> SourceUpdate:
    """The source now says ``fields`` (everything else as the story has it): a pending update."""
    proposed = {name: getattr(article, name) for name in (
        "headline", "standfirst", "body", "byline", "image_url", "original_url",
        "original_author", "original_published_at", "original_updated_at")}
    proposed.update(fields)
    assert follow_source(article, proposed) == "pending"
    db.session.commit()
    return pending_update(article)


@pytest.fixture
def story(make):
    outlet = make.outlet("Valley Ledger")
    article = make.syndicated_article(
        outlet, headline="Ferry returns to the north pier", slug="ferry-returns",
        body="<p>The ferry returns on Monday at noon.</p>")
    db.session.commit()
    return article


def actions(article: Article) -> list[str]:
    query = select(ArticleRevision.action).where(ArticleRevision.article_id == article.id)
    return list(db.session.scalars(query.order_by(ArticleRevision.id)))


def decide(client, article, update, what, version=None):
    return client.post(f"/editor/articles/{article.id}/source-update/{update.id}/{what}",
                       data={"version": version if version is not None else article.version})


def test_the_list_marks_and_filters_stories_with_a_source_update(client, editor, make, story):
    quiet = make.syndicated_article(headline="Quiet harbour story")
    db.session.commit()
    changed_at_source(story, headline="Ferry is back at the north pier")
    html = client.get("/editor/?state=published").text
    row = html[html.index("Ferry returns"):]
    assert "tag-source-updated" in row[:row.index("</tr>")]
    quiet_row = html[html.index("Quiet harbour story"):]
    assert "tag-source-updated" not in quiet_row[:quiet_row.index("</tr>")]
    filtered = client.get("/editor/?state=published&source=updated").text
    assert "Ferry returns" in filtered and "Quiet harbour story" not in filtered
    assert 'aria-current="page">Published <span class="count">1</span>' in filtered
    assert quiet.id  # the filter left it out, it exists


def test_the_story_and_edit_pages_point_to_the_diff(client, editor, story):
    changed_at_source(story, headline="Ferry is back at the north pier")
    for url in (f"/editor/articles/{story.id}", f"/editor/articles/{story.id}/edit"):
        html = client.get(url).text
        assert 'id="source-updated"' in html
        assert f"/editor/articles/{story.id}/source-update" in html
        assert "<ins> is back at</ins>" in html and "Apply update" in html  # the diff, on demand


def test_the_diff_is_word_level_and_escaped(client, editor, story):
    changed_at_source(story, headline="Ferry <b>is back</b> at the north pier",
                      body="<p>The ferry returns on Tuesday at noon.</p>")
    html = client.get(f"/editor/articles/{story.id}/source-update").text
    assert "<b>is back</b>" not in html
    assert "&lt;b&gt;is back&lt;/b&gt;" in html
    assert "<del> returns to</del>" in html
    assert "<del> Monday</del><ins> Tuesday</ins>" in html
    assert "Apply update" in html and "Dismiss" in html
    assert str(word_diff("Ferry returns to", "Ferry <b>is back</b> at")) in html  # the one helper


def test_apply_brings_the_update_in_as_a_recorded_revision(client, editor, story):
    update = changed_at_source(story, headline="Ferry is back at the north pier")
    response = decide(client, story, update, "apply")
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Article, story.id).headline == "Ferry is back at the north pier"
    assert db.session.get(SourceUpdate, update.id).status is SourceUpdateStatus.APPLIED
    revision = db.session.scalars(select(ArticleRevision).where(
        ArticleRevision.action == "source update applied")).one()
    assert revision.user_id == editor.id
    assert revision.changes["headline"] == ["Ferry returns to the north pier",
                                            "Ferry is back at the north pier"]
    assert "tag-source-updated" not in client.get("/editor/?state=published").text


def test_dismiss_keeps_the_story_and_is_recorded(client, editor, story):
    update = changed_at_source(story, headline="Ferry is back at the north pier")
    assert decide(client, story, update, "dismiss").status_code == 303
    db.session.expire_all()
    assert db.session.get(Article, story.id).headline == "Ferry returns to the north pier"
    assert db.session.get(SourceUpdate, update.id).status is SourceUpdateStatus.DISMISSED
    assert actions(story)[-1] == "source update dismissed"
    page = client.get(f"/editor/articles/{story.id}").text
    assert "<strong>Source update dismissed</strong> by Mara Inkwell" in page
    assert pending_update(story) is None


def test_a_superseded_update_is_not_applied_and_says_so(client, editor, story):
    first = changed_at_source(story, headline="Ferry is back at the north pier")
    newer = changed_at_source(story, headline="Ferry is back at last")
    response = decide(client, story, first, "apply")
    assert response.status_code == 409
    assert "changed this story again since you read that update" in response.text
    assert "<ins> is back at last</ins>" in response.text  # the newest update's diff instead
    db.session.expire_all()
    assert db.session.get(Article, story.id).headline == "Ferry returns to the north pier"
    assert db.session.get(SourceUpdate, newer.id).status is SourceUpdateStatus.PENDING


def test_an_update_decided_already_is_not_decided_twice(client, editor, story):
    update = changed_at_source(story, headline="Ferry is back at the north pier")
    assert decide(client, story, update, "dismiss").status_code == 303
    db.session.expire_all()
    response = decide(client, story, update, "apply", version=db.session.get(Article, story.id).version)
    assert response.status_code == 409 and "already dismissed" in response.text
    db.session.expire_all()
    assert db.session.get(Article, story.id).headline == "Ferry returns to the north pier"


def test_a_story_saved_since_the_diff_was_read_is_refused(client, editor, story):
    update = changed_at_source(story, headline="Ferry is back at the north pier")
    read_at = story.version
    story.standfirst = "Edited at the desk meanwhile."
    db.session.commit()
    response = decide(client, story, update, "apply", version=read_at)
    assert response.status_code == 409 and "saved since you read these changes" in response.text
    db.session.expire_all()
    assert db.session.get(SourceUpdate, update.id).status is SourceUpdateStatus.PENDING


def test_an_update_of_another_story_is_not_found(client, editor, make, story):
    other = make.syndicated_article(headline="Another story")
    db.session.commit()
    update = changed_at_source(story, headline="Ferry is back at the north pier")
    assert decide(client, other, update, "apply").status_code == 404


def test_a_story_without_an_update_says_so(client, editor, story):
    html = client.get(f"/editor/articles/{story.id}/source-update").text
    assert "No source update is waiting for this story" in html


@pytest.fixture
def csrf_client(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = factories.user(Role.EDITOR)
        db.session.commit()
        client = app.test_client()
        sign_in_session(client, user.get_id())
        yield client


@pytest.mark.parametrize("what", ["apply", "dismiss"])
def test_apply_and_dismiss_need_the_csrf_token(csrf_client, what):
    article = factories.syndicated_article(headline="Guarded ferry story")
    db.session.commit()
    update = changed_at_source(article, headline="Guarded ferry story, changed")
    url = f"/editor/articles/{article.id}/source-update/{update.id}/{what}"
    assert csrf_client.post(url, data={"version": article.version}).status_code == 400
    db.session.expire_all()
    assert db.session.get(SourceUpdate, update.id).status is SourceUpdateStatus.PENDING
    page = csrf_client.get(f"/editor/articles/{article.id}/source-update").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = csrf_client.post(url, data={"version": article.version, "csrf_token": token})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(SourceUpdate, update.id).status is not SourceUpdateStatus.PENDING


def test_the_list_costs_the_same_queries_with_few_or_many_updates(
    client, editor, make, count_queries
):
    def grow(count):
        for n in range(count):
            article = make.syndicated_article(headline=f"Changing story {n}",
                                              published=utcnow() - timedelta(hours=n + 1))
            db.session.commit()
            changed_at_source(article, headline=f"Changed story {n}")

    def queries():
        with count_queries() as recorded:
            assert client.get("/editor/?state=published").status_code == 200
        return len(recorded)

    grow(3)
    few = queries()
    grow(40)
    many = queries()
    print("desk list queries:", few, many)
    assert many == few <= 9


def test_a_changed_date_reads_as_the_desk_shows_dates(client, editor, story):
    changed_at_source(story, original_updated_at=utcnow().replace(
        year=2026, month=11, day=30, hour=9, minute=15, second=0, microsecond=0))
    html = client.get(f"/editor/articles/{story.id}/source-update").text
    assert "original updated at" in html and "<ins>30 November 2026, 09:15 UTC</ins>" in html
