"""Rights: copied from the outlet at ingest, the embargo gate, expiry, and what readers see."""
from __future__ import annotations

import importlib.util
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import Article, ArticleRevision, AuditEntry, ExpiryAction, Licence, utcnow
from newsroom.syndication.ingest import ingest_source
from tests.helpers import run_due_jobs
from tests.syndication.conftest import fixture_path

RSS2 = fixture_path("valley_ledger_rss2.xml")
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def fresh(article: Article) -> Article:
    db.session.expire_all()
    return db.session.get(Article, article.id)


def test_ingest_copies_the_outlets_rights(valley):
    embargo, expiry = utcnow() - timedelta(hours=1), utcnow() + timedelta(days=30)
    valley.licence, valley.credit_line = Licence.CC_BY_ND, "Shared by the Valley Ledger"
    valley.embargo_until, valley.expires_at = embargo, expiry
    valley.expiry_action = ExpiryAction.NOINDEX
    ingest_source(RSS2, valley)
    db.session.commit()
    stories = db.session.scalars(select(Article)).all()
    assert len(stories) == 3
    for article in stories:
        assert article.licence is Licence.CC_BY_ND
        assert article.credit_line == "Shared by the Valley Ledger"
        assert article.embargo_until == embargo and article.expires_at == expiry
        assert article.expiry_action is ExpiryAction.NOINDEX


def test_auto_publish_waits_for_the_outlets_embargo(valley):
    embargo = utcnow() + timedelta(days=2)
    valley.embargo_until = embargo
    ingest_source(RSS2, valley, publish=True)
    db.session.commit()
    assert {article.published_at for article in db.session.scalars(select(Article))} == {embargo}


def test_expiry_unpublishes_records_and_the_page_answers_404(app, client, make):
    article = make.syndicated_article(expires_at=utcnow() - timedelta(minutes=1))
    db.session.commit()
    assert client.get(f"/articles/{article.slug}").status_code == 200
    run_due_jobs(app)
    article = fresh(article)
    assert article.published_at is None and article.rights_expired_at is not None
    assert client.get(f"/articles/{article.slug}").status_code == 404
    actions = db.session.scalars(
        select(ArticleRevision.action).where(ArticleRevision.article_id == article.id)).all()
    assert "rights expired" in actions
    assert "rights-expired" in db.session.scalars(select(AuditEntry.action)).all()


def test_expiry_with_noindex_keeps_the_page_out_of_search_and_refreshes_the_cache(app, client,
                                                                                  make):
    article = make.syndicated_article(expires_at=utcnow() - timedelta(minutes=1),
                                      expiry_action=ExpiryAction.NOINDEX)
    db.session.commit()
    url = f"/articles/{article.slug}"
    before = client.get(url)
    client.get(url)  # the second anonymous view comes from the page cache
    assert f"/articles/{article.slug}" in client.get("/sitemap.xml").text
    assert 'content="noindex"' not in before.text and "X-Robots-Tag" not in before.headers
    run_due_jobs(app)
    after = client.get(url)
    assert after.status_code == 200
    assert '<meta name="robots" content="noindex">' in after.text
    assert after.headers["X-Robots-Tag"] == "noindex"
    assert fresh(article).published_at is not None
    assert f"/articles/{article.slug}" not in client.get("/sitemap.xml").text


def test_a_story_not_yet_expired_is_left_alone(app, make):
    article = make.syndicated_article(expires_at=utcnow() + timedelta(days=1))
    db.session.commit()
    run_due_jobs(app)
    article = fresh(article)
    assert article.rights_expired_at is None and article.published_at is not None


@pytest.mark.parametrize("licence, deed", [
    (Licence.CC_BY, "https://creativecommons.org/licenses/by/4.0/"),
    (Licence.CC_BY_NC_ND, "https://creativecommons.org/licenses/by-nc-nd/4.0/"),
])
def test_a_cc_licence_links_its_deed_with_the_credit_line(client, make, licence, deed):
    article = make.syndicated_article(licence=licence, credit_line="Credit: the Valley Ledger")
    db.session.commit()
    page = client.get(f"/articles/{article.slug}").text
    attribution = page[page.index('<aside class="attribution">'):page.index("</aside>")]
    assert f'<a rel="license" href="{deed}">' in attribution
    assert "Credit: the Valley Ledger" in attribution
    data = json.loads(JSON_LD.search(page).group(1))
    assert data["license"] == deed


def test_other_licences_show_their_words(client, make):
    permission = make.syndicated_article(licence=Licence.PERMISSION)
    other = make.syndicated_article(licence=Licence.OTHER, licence_text="Valley terms, clause 4")
    bare = make.syndicated_article()
    db.session.commit()
    page = client.get(f"/articles/{permission.slug}").text
    assert "Republished with permission" in page and 'rel="license"' not in page
    assert json.loads(JSON_LD.search(page).group(1))["license"] == {
        "@type": "CreativeWork", "name": "Republished with permission"}
    assert "Valley terms, clause 4" in client.get(f"/articles/{other.slug}").text
    page = client.get(f"/articles/{bare.slug}").text
    assert "license" not in json.loads(JSON_LD.search(page).group(1))


def test_the_story_credit_line_wins_over_the_outlets(client, make):
    outlet = make.outlet(credit_line="Outlet credit")
    own = make.syndicated_article(outlet, credit_line="Story credit")
    inherits = make.syndicated_article(outlet)
    db.session.commit()
    assert "Story credit" in client.get(f"/articles/{own.slug}").text
    assert "Outlet credit" not in client.get(f"/articles/{own.slug}").text
    assert "Outlet credit" in client.get(f"/articles/{inherits.slug}").text


def _migration():
    path = next(Path("migrations/versions").glob("*_rights_and_withdrawals.py"))
    spec = importlib.util.spec_from_file_location("rights_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("text, code", [
    ("CC BY-ND 4.0, credit required.", "cc-by-nd-4.0"),
    ("Creative Commons BY-NC-ND 4.0", "cc-by-nc-nd-4.0"),
    ("cc-by", "cc-by-4.0"),
    ("CC BY 3.0", "other"),  # another version is not the 4.0 licence
    ("Republished with permission of the editor.", "permission"),
    ("Shared under the valley agreement.", "other"),
    ("", None),
])
def test_the_migration_reads_the_free_text_licence(text, code):
    assert _migration().licence_code(text) == code
