"""Outlets at the desk: list with their last fetch, create, edit, and their fetch history."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import ArticleRevision, IngestRun, Licence, Outlet, Role, SeoPolicy, utcnow


@pytest.fixture
def editor(login_as):
    return login_as(Role.EDITOR)


def outlet_form(**fields):
    data = {
        "name": "Valley Ledger",
        "slug": "",
        "homepage_url": "https://valley-ledger.example/",
        "feed_url": "https://valley-ledger.example/feed.xml",
        "licence": "other",
        "licence_text": "Shared under the valley agreement.",
        "credit_line": "Republished with permission.",
        "seo_policy": "canonical",
    }
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}


def test_create_an_outlet(client, editor):
    response = client.post(
        "/editor/outlets/new",
        data=outlet_form(seo_policy="noindex", auto_publish="y", auto_apply_source_updates="y"),
    )
    outlet = db.session.scalars(select(Outlet)).one()
    assert response.status_code == 302 and response.location == f"/editor/outlets/{outlet.id}"
    assert outlet.slug == "valley-ledger"
    assert outlet.feed_url == "https://valley-ledger.example/feed.xml"
    assert outlet.seo_policy is SeoPolicy.NOINDEX and outlet.auto_publish is True
    assert outlet.auto_apply_source_updates is True
    assert outlet.licence is Licence.OTHER
    assert outlet.licence_text == "Shared under the valley agreement."
    assert outlet.credit_line == "Republished with permission."


def test_feed_url_is_optional_and_urls_must_be_http(client, editor):
    response = client.post(
        "/editor/outlets/new",
        data=outlet_form(homepage_url="ftp://valley.example/", feed_url="javascript:alert(1)"),
    )
    assert response.status_code == 400
    assert 'id="homepage_url-error"' in response.text and 'id="feed_url-error"' in response.text
    assert 'value="ftp://valley.example/"' in response.text
    ok = client.post("/editor/outlets/new", data=outlet_form(feed_url=""))
    assert ok.status_code == 302
    assert db.session.scalars(select(Outlet)).one().feed_url is None


def test_outlet_names_are_unique_and_required_fields_checked(client, editor, make):
    make.outlet("Valley Ledger")
    db.session.commit()
    response = client.post("/editor/outlets/new", data=outlet_form(seo_policy="sideways"))
    assert response.status_code == 400
    assert "Another outlet has this name." in response.text
    assert 'id="seo_policy-error"' in response.text
    missing = client.post("/editor/outlets/new", data=outlet_form(name="", homepage_url=""))
    assert (
        "Please name the outlet." in missing.text
        and "Please give the outlet&#39;s homepage." in missing.text
    )


def test_edit_an_outlet_and_a_new_feed_forgets_old_validators(client, editor, make):
    outlet = make.outlet(
        "Gazette",
        feed_url="https://g.example/old.xml",
        feed_etag='"abc"',
        feed_last_modified="Tue, 24 Nov 2026 10:00:00 GMT",
    )
    db.session.commit()
    form = client.get(f"/editor/outlets/{outlet.id}/edit")
    assert 'value="https://g.example/old.xml"' in form.text
    assert '<option selected value="canonical">' in form.text
    response = client.post(
        f"/editor/outlets/{outlet.id}/edit",
        data=outlet_form(name="Gazette", slug="gazette", feed_url="https://g.example/new.xml"),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert outlet.feed_url == "https://g.example/new.xml" and outlet.slug == "gazette"
    assert outlet.feed_etag is None and outlet.feed_last_modified is None


def test_list_shows_each_outlets_last_fetch_in_fixed_queries(client, editor, make, count_queries):
    def add(name, error=None, created=0):
        outlet = make.outlet(name, feed_url=f"https://{name.lower()}.example/feed")
        db.session.add(
            IngestRun(
                outlet=outlet,
                source=outlet.feed_url,
                started_at=utcnow() - timedelta(days=1),
                created=9,
            )
        )
        db.session.add(
            IngestRun(
                outlet=outlet,
                source=outlet.feed_url,
                started_at=utcnow(),
                finished_at=utcnow(),
                created=created,
                error=error,
            )
        )
        db.session.flush()

    add("Alpha", created=3)
    add("Beta", error="The source is not a feed")
    db.session.commit()
    with count_queries() as few:
        html = client.get("/editor/outlets").text
    assert "3 new, 0 updated, 0 skipped" in html and "Failed: The source is not a feed" in html
    assert "9 new" not in html  # only the latest run of each
    for n in range(20):
        add(f"Outlet{n}")
    db.session.commit()
    with count_queries() as many:
        assert client.get("/editor/outlets").status_code == 200
    assert len(few) == len(many)


def test_outlet_page_shows_recent_runs_and_what_came_in(client, editor, make):
    outlet = make.outlet("Valley", feed_url="https://valley.example/feed")
    db.session.add(
        IngestRun(
            outlet=outlet,
            source="https://valley.example/feed",
            started_at=utcnow() - timedelta(hours=2),
            error="Timed out after 10 s",
        )
    )
    db.session.add(
        IngestRun(
            outlet=outlet,
            source="https://valley.example/feed",
            started_at=utcnow() - timedelta(minutes=5),
            created=1,
            skipped=2,
        )
    )
    fresh = make.syndicated_article(outlet, headline="Fresh from the valley", published=False)
    older = make.syndicated_article(
        outlet,
        headline="Older valley story",
        published=False,
        created_at=utcnow() - timedelta(days=3),
    )
    edited = make.syndicated_article(outlet, headline="Edited at the desk since", published=False)
    db.session.add_all(
        [
            ArticleRevision(article=fresh, action="ingested", changes={}),
            ArticleRevision(
                article=older, action="ingested", changes={},
                created_at=utcnow() - timedelta(days=3),
            ),
            ArticleRevision(
                article=edited, action="ingested", changes={},
                created_at=utcnow() - timedelta(days=3),
            ),
            ArticleRevision(article=edited, user=editor, action="edited", changes={}),
        ]
    )
    db.session.commit()
    html = client.get(f"/editor/outlets/{outlet.id}").text
    assert "1 new, 0 updated, 2 skipped" in html and "Failed: Timed out after 10 s" in html
    latest = html[html.index("Latest fetch") : html.index("Recent fetches")]
    assert "Fresh from the valley" in latest
    assert "Older valley story" not in latest and "Edited at the desk since" not in latest
    assert "Fetch now" in html


def test_fetch_without_a_feed_url_is_refused(client, editor, make):
    outlet = make.outlet("Hand copied")
    db.session.commit()
    response = client.post(f"/editor/outlets/{outlet.id}/fetch", follow_redirects=True)
    assert "This outlet has no feed URL" in response.text
    assert db.session.scalars(select(IngestRun)).all() == []
