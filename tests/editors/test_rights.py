"""Rights at the desk: the embargo gate on every publish path, the rights forms, what lapses."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import Article, ArticleRevision, ExpiryAction, Licence, Outlet, Role, utcnow

FORMAT = "%Y-%m-%dT%H:%M"


@pytest.fixture
def editor(login_as):
    return login_as(Role.EDITOR)


def minute(delta: timedelta):
    return (utcnow() + delta).replace(second=0, microsecond=0)


def embargoed(make, hours: int = 6) -> Article:
    article = make.syndicated_article(published=False, embargo_until=minute(timedelta(hours=hours)))
    db.session.commit()
    return article


def fresh(article: Article) -> Article:
    db.session.expire_all()
    return db.session.get(Article, article.id)


def test_publish_now_is_refused_under_embargo(client, editor, make):
    article = embargoed(make)
    response = client.post(f"/editor/articles/{article.id}/publish")
    assert response.status_code == 400
    assert "under embargo until" in response.text
    assert fresh(article).published_at is None


def test_a_schedule_before_the_embargo_is_refused_and_one_after_it_accepted(client, editor, make):
    article = embargoed(make, hours=6)
    early = minute(timedelta(hours=2))
    response = client.post(f"/editor/articles/{article.id}/schedule",
                           data={"publish_at": early.strftime(FORMAT)})
    assert response.status_code == 400 and "under embargo until" in response.text
    assert fresh(article).published_at is None
    later = minute(timedelta(hours=7))
    response = client.post(f"/editor/articles/{article.id}/schedule",
                           data={"publish_at": later.strftime(FORMAT)})
    assert response.status_code == 302
    assert fresh(article).published_at == later


def test_bulk_publish_leaves_an_embargoed_story_alone(client, editor, make):
    article = embargoed(make)
    free = make.article("Free to go", published=False)
    db.session.commit()
    response = client.post("/editor/articles/bulk", follow_redirects=True, data={
        "action": "publish", "article_id": [str(article.id), str(free.id)], "state": "drafts"})
    assert "1 story published. 1 left as they were" in response.text
    assert "under embargo" in response.text
    assert fresh(article).published_at is None and fresh(free).published_at is not None


def test_a_story_cannot_go_out_once_its_rights_expire(client, editor, make):
    article = make.syndicated_article(published=False, expires_at=minute(timedelta(hours=3)))
    db.session.commit()
    late = minute(timedelta(hours=4))
    response = client.post(f"/editor/articles/{article.id}/schedule",
                           data={"publish_at": late.strftime(FORMAT)})
    assert response.status_code == 400 and "The right to republish this story ends" in response.text
    assert client.post(f"/editor/articles/{article.id}/publish").status_code == 302
    assert fresh(article).published_at is not None  # before the expiry: fine


def test_a_past_embargo_does_not_hold_a_story_back(client, editor, make):
    article = make.syndicated_article(published=False, embargo_until=utcnow() - timedelta(hours=1))
    db.session.commit()
    assert client.post(f"/editor/articles/{article.id}/publish").status_code == 302
    assert fresh(article).published_at is not None


def test_the_rights_page_shows_and_saves_a_storys_rights(client, editor, make):
    outlet = make.outlet(licence=Licence.CC_BY)
    article = make.syndicated_article(outlet, published=False, licence=Licence.CC_BY,
                                      credit_line="From the outlet")
    db.session.commit()
    page = client.get(f"/editor/articles/{article.id}/rights").text
    assert '<option selected value="cc-by-4.0">' in page and 'value="From the outlet"' in page
    expiry = minute(timedelta(days=20))
    response = client.post(f"/editor/articles/{article.id}/rights", data={
        "licence": "cc-by-nc-nd-4.0", "licence_text": "", "credit_line": "Our own credit",
        "embargo_until": "", "expires_at": expiry.strftime(FORMAT), "expiry_action": "noindex"})
    assert response.status_code == 302
    article = fresh(article)
    assert article.licence is Licence.CC_BY_NC_ND and article.credit_line == "Our own credit"
    assert article.expires_at == expiry and article.expiry_action is ExpiryAction.NOINDEX
    revision = db.session.scalars(select(ArticleRevision).where(
        ArticleRevision.article_id == article.id, ArticleRevision.action == "rights edited")).one()
    assert revision.changes["licence"] == ["cc-by-4.0", "cc-by-nc-nd-4.0"]
    assert "CC BY-NC-ND 4.0" in client.get(f"/editor/articles/{article.id}").text


def test_the_rights_form_refuses_bad_input_and_keeps_it(client, editor, make):
    article = make.syndicated_article(published=utcnow() + timedelta(hours=1))
    db.session.commit()
    embargo = minute(timedelta(hours=5))
    response = client.post(f"/editor/articles/{article.id}/rights", data={
        "licence": "other", "licence_text": "", "credit_line": "Kept as typed",
        "embargo_until": embargo.strftime(FORMAT),
        "expires_at": minute(timedelta(hours=4)).strftime(FORMAT), "expiry_action": "unpublish"})
    assert response.status_code == 400
    assert "Please give the terms" in response.text
    assert "must expire after the embargo" in response.text
    assert 'value="Kept as typed"' in response.text
    response = client.post(f"/editor/articles/{article.id}/rights", data={
        "licence": "", "embargo_until": embargo.strftime(FORMAT), "expiry_action": "unpublish"})
    assert response.status_code == 400 and "is scheduled before that time" in response.text
    assert fresh(article).embargo_until is None


def test_the_outlet_form_sets_the_default_rights_and_auto_unpublish(client, editor):
    embargo = minute(timedelta(days=1))
    response = client.post("/editor/outlets/new", data={
        "name": "Hill Courier", "slug": "", "homepage_url": "https://hill-courier.example/",
        "seo_policy": "canonical", "licence": "permission", "credit_line": "With thanks",
        "embargo_until": embargo.strftime(FORMAT), "expires_at": "", "expiry_action": "noindex",
        "auto_unpublish_withdrawn": "y"})
    assert response.status_code == 302
    outlet = db.session.scalars(select(Outlet)).one()
    assert outlet.licence is Licence.PERMISSION and outlet.credit_line == "With thanks"
    assert outlet.embargo_until == embargo and outlet.expiry_action is ExpiryAction.NOINDEX
    assert outlet.auto_unpublish_withdrawn is True
    edit = client.get(f"/editor/outlets/{outlet.id}/edit").text
    assert '<option selected value="permission">' in edit
    assert "Republished with permission" in client.get(f"/editor/outlets/{outlet.id}").text


def test_the_desk_lists_rights_lapsing_within_7_days(client, editor, make):
    soon = make.syndicated_article(headline="Lapses soon", expires_at=utcnow() + timedelta(days=3))
    make.syndicated_article(headline="Lapses later", expires_at=utcnow() + timedelta(days=10))
    make.syndicated_article(headline="Draft lapsing", published=False,
                            expires_at=utcnow() + timedelta(days=2))
    make.syndicated_article(headline="Already applied", expires_at=utcnow() - timedelta(days=1),
                            rights_expired_at=utcnow() - timedelta(hours=1))
    db.session.commit()
    page = client.get("/editor/").text
    assert "Rights lapsing in the next 7 days" in page
    section = page[page.index('id="lapsing-heading"'):page.index("</section>")]
    assert "Lapses soon" in section and f"/editor/articles/{soon.id}/rights" in section
    for absent in ("Lapses later", "Draft lapsing", "Already applied"):
        assert absent not in section


def test_the_lapsing_list_costs_the_same_queries_for_1_or_40_stories(client, editor, make,
                                                                     count_queries):
    def queries() -> int:
        with count_queries() as statements:
            assert client.get("/editor/").status_code == 200
        return len(statements)

    make.syndicated_article(expires_at=utcnow() + timedelta(days=1))
    db.session.commit()
    few = queries()
    for n in range(40):
        make.syndicated_article(make.outlet(), expires_at=utcnow() + timedelta(days=1, hours=n))
    db.session.commit()
    assert queries() == few


def test_the_desk_marks_a_withdrawn_source(client, editor, make):
    article = make.syndicated_article(headline="Gone at the source", withdrawn_at=utcnow())
    db.session.commit()
    listing = client.get("/editor/?state=published").text
    assert "Source withdrawn?" in listing
    assert "Source withdrawn?" in client.get(f"/editor/articles/{article.id}").text
