"""Text XML cannot carry never reaches a feed or sitemap: cleaned on the way in, and at the writer.

A headline with Word's soft return (``\\x0b``) or a commenter name with ``\\x01`` once made every
feed unreadable. Names and headlines are cleaned when set; rows written before that (or text
no rule cleans, like a byline from a feed) are cleaned by the XML writer.
"""
from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
from sqlalchemy import update

from newsroom.content.corrections import add_correction
from newsroom.extensions import db
from newsroom.models import Article, Comment, CommentStatus, Correction, CorrectionKind, Outlet
from newsroom.models import utcnow

BAD = "\x0b\x01\x1f\ufffe\uffff"


@pytest.fixture
def dirty(make):
    """A story and an approved comment whose stored text carries XML-invalid characters."""
    article = make.article("Tide gauge readings", slug="tide-gauge", byline="Ola\x01 Byline",
                           body="<p>Body\x0b text</p>", standfirst="Stand\x02first")
    make.comment(article, status=CommentStatus.APPROVED, author_name="Nia", body="Fine.")
    db.session.commit()
    # As rows written before the cleaning (or by SQL) would be: past the model's validators.
    db.session.execute(update(Article).values(headline="Tide\x0b gauge\x0b readings" + BAD[1:3]))
    db.session.execute(update(Comment).values(author_name="Nia\x01 Quill"))
    db.session.commit()
    db.session.expire_all()
    return article


@pytest.mark.parametrize(
    "path", ["/feed.xml", "/atom.xml", "/sitemap-news.xml", "/sitemap.xml",
             "/articles/tide-gauge/comments.xml"],
)
def test_every_xml_document_parses(client, dirty, path):
    response = client.get(path)
    assert response.status_code == 200
    document = ET.fromstring(response.data)  # raises on any character XML cannot carry
    text = ET.tostring(document, encoding="unicode")
    assert not any(character in text for character in BAD)


@pytest.fixture
def dirty_later_fields(make):
    """Fields that came after the first fix: a correction's text, an outlet's name (the feed's
    credit line "Originally published in …"), a story's rights credit and licence terms."""
    outlet = make.outlet("Valley Ledger", slug="valley-ledger")
    article = make.syndicated_article(outlet, headline="Ferry fares", slug="ferry-fares",
                                      credit_line="Courtesy\x0b of the Ledger",
                                      licence_text="Shared\x01 terms")
    add_correction(article, CorrectionKind.CORRECTION, "The fare is\x0b 3 crowns.", None, utcnow())
    db.session.commit()
    # Past the input cleaning, as a row written by SQL or an older release would be.
    db.session.execute(update(Correction).values(text="The fare\x01 is 3\x1f crowns" + BAD))
    db.session.execute(update(Outlet).values(name="Valley\x0b Ledger\x01"))
    db.session.commit()
    db.session.expire_all()
    return article


@pytest.mark.parametrize(
    "path", ["/feed.xml", "/atom.xml", "/sections/harbour/feed.xml"],
)
def test_corrections_and_credits_never_break_a_feed(client, make, dirty_later_fields, path):
    if "sections" in path:
        section = make.section("Harbour", slug="harbour")
        dirty_later_fields.section = section
        db.session.commit()
    response = client.get(path)
    assert response.status_code == 200
    text = ET.tostring(ET.fromstring(response.data), encoding="unicode")
    assert not any(character in text for character in BAD)
    assert "The fare is 3 crowns" in text and "Valley Ledger" in text


def test_a_correction_is_cleaned_when_added(make):
    article = make.article()
    correction = add_correction(article, CorrectionKind.UPDATE, "Soft\x0breturn\x01", None,
                                utcnow())
    db.session.commit()
    assert correction.text == "Softreturn"


def test_the_cleaned_text_is_still_there(client, dirty):
    feed = client.get("/feed.xml").get_data(as_text=True)
    comments = client.get("/articles/tide-gauge/comments.xml").get_data(as_text=True)
    assert "Tide gauge readings" in feed and "Ola Byline" in feed
    assert "Nia Quill" in comments


def test_names_and_headlines_are_cleaned_when_set(make):
    article = make.article("Soft\x0breturn \u202eheadline\ufffe")
    comment = make.comment(article, author_name="\u202eNia\x01 \u2066Quill\u2069")
    db.session.commit()
    db.session.expire_all()
    assert article.headline == "Softreturn headline"
    assert comment.author_name == "Nia Quill"


def test_a_name_with_an_rlo_is_shown_without_it(client, make):
    article = make.article()
    db.session.commit()
    data = {"name": "gnp.\u202eexe", "email": "r@example.org", "body": "Hi.", "form_token": ""}
    client.post(f"/articles/{article.slug}/comments", data=data)
    assert db.session.query(Comment).one().author_name == "gnp.exe"


def test_a_website_is_kept_and_shown_with_its_punycode_host(client, make):
    article = make.article(slug="idn-story")
    make.comment(article, status=CommentStatus.APPROVED, author_name="Pay Pal",
                 author_website="https://раураl.example/account")
    db.session.commit()
    page = client.get("/articles/idn-story").get_data(as_text=True)
    assert 'href="https://xn--l-7sba6dbr.example/account"' in page
    assert "раураl" not in page
