"""No commenter's email reaches any public surface, whatever the comment's status.

Comments with distinctive emails are stored through the factories and through the real reply
form (approved, pending and spam), then every public URL is fetched by a fresh reader and
searched for the emails: as typed, lowercased, URL-encoded, JSON- and HTML-escaped, and for
the distinctive token of each address alone.
"""
from __future__ import annotations

import html
import json
import re
from urllib.parse import quote, quote_plus

import pytest
from sqlalchemy import select

from newsroom.content.corrections import add_correction
from newsroom.extensions import db
from newsroom.models import Comment, CommentStatus, CorrectionKind, Licence, Role, utcnow
from newsroom.moderation.actions import reply_as_staff
from newsroom.moderation.featuring import feature
from tests.comments.conftest import trust_browser_of

TOKEN = "zq7leak"
EMAILS = {
    "approved": f"{TOKEN}.approved@hush-mail.example",
    "pending": f"{TOKEN}.pending@hush-mail.example",
    "spam": f"{TOKEN}.spam@hush-mail.example",
    "rejected": f"{TOKEN}.rejected@hush-mail.example",
    "form-approved": f"{TOKEN}.approved@hush-mail.example",
    "form-pending": f"Form.{TOKEN}.Pending+tag@Hush-Mail.example",
    "form-spam": f"form.{TOKEN}.spam@hush-mail.example",
    "staff": f"desk.{TOKEN}@hush-mail.example",  # a moderator answering from the desk
    "reporter": f"Report.{TOKEN}@Hush-Mail.example",  # a reader's report, for its outcome
}


def forms_of(email: str) -> set[str]:
    """Every spelling of ``email`` a leak could take."""
    spellings = {email, email.lower(), quote(email), quote(email, safe=""), quote_plus(email),
                 json.dumps(email)[1:-1], html.escape(email), email.replace("@", "&#64;")}
    return spellings | {spelling.lower() for spelling in spellings}


def public_urls(slugs: list[str], comment_ids: list[int]) -> list[str]:
    urls = ["/", "/?page=2", "/sections/harbour", "/sections/culture", "/feed.xml", "/atom.xml",
            "/sections/harbour/feed.xml", "/sections/harbour/atom.xml", "/sitemap.xml",
            "/sitemap-news.xml", "/robots.txt", "/api/v1/articles", "/api/v1/articles?per_page=1",
            "/api/v1/sections", "/api/v1/outlets", "/api/v1/openapi.json", "/no-such-page",
            "/api/v1/no-such-route", "/api/v1/articles/no-such-story", "/articles/no-such-story",
            "/api/v1/articles?page=0", "/api/v1/articles/tide-gauge/comments?page=x",
            "/?page=x", "/articles/tide-gauge?cpage=2", "/articles/tide-gauge/comments",
            "/login", "/moderation/", "/editor/"]
    for slug in slugs:
        urls += [f"/articles/{slug}", f"/articles/{slug}/comments.xml",
                 f"/api/v1/articles/{slug}", f"/api/v1/articles/{slug}/comments"]
        urls += [f"/articles/{slug}?replyto={comment_id}" for comment_id in comment_ids]
        urls += [f"/articles/{slug}/comments/{comment_id}/report" for comment_id in comment_ids]
    return urls


@pytest.fixture
def comments_everywhere(app, client, newsroom, make):
    """Comments of every status on two articles, some through the real reply form."""
    desk = make.user(Role.MODERATOR, email=EMAILS["staff"], name="Desk Dana")
    for article in (newsroom.own, newsroom.syndicated):
        approved = make.comment(article, author_email=EMAILS["approved"], author_name="Open Olga",
                                body="An approved reply.")
        make.comment(article, parent=approved, author_email=EMAILS["approved"], author_name="Olga")
        make.comment(article, status=CommentStatus.PENDING, author_email=EMAILS["pending"])
        make.comment(article, status=CommentStatus.SPAM, author_email=EMAILS["spam"])
        make.comment(article, status=CommentStatus.REJECTED, author_email=EMAILS["rejected"])
        reply_as_staff(approved, desk, "An answer from the desk.")
        # a correction by the same staff member: its block, feeds and JSON-LD name nobody
        add_correction(article, CorrectionKind.CORRECTION, "The fans run on wind, not sun.",
                       desk, utcnow(), pinned=True)
        feature(approved, desk)  # an editors' pick: the block above the thread, featured flags
    db.session.commit()
    trust_browser_of(client, EMAILS["form-approved"])  # this browser proved that address
    page = client.get("/articles/tide-gauge").get_data(as_text=True)
    session_url = re.search(r'data-session="([^"]+)"', page).group(1)  # what the form fetches
    token = client.get(session_url.replace("&amp;", "&")).get_json()["form_token"]
    form = {"name": "Form Writer", "website": "", "body": "Through the form.", "form_token": token}
    posts = [
        {**form, "email": EMAILS["form-approved"]},  # trusted from this browser: approved at once
        {**form, "email": EMAILS["form-pending"]},
        {**form, "email": EMAILS["form-spam"], "company": "Acme"},  # the honeypot
    ]
    for data in posts:
        assert client.post("/articles/tide-gauge/comments", data=data).status_code == 303
    by_form = db.session.scalars(select(Comment).where(Comment.author_name == "Form Writer")
                                 .order_by(Comment.id)).all()
    assert [comment.status for comment in by_form] == [
        CommentStatus.APPROVED, CommentStatus.PENDING, CommentStatus.SPAM]
    report = {"reason": "other", "details": "Reported through the form.",
              "email": EMAILS["reporter"]}
    assert client.post(f"/articles/tide-gauge/comments/{by_form[0].id}/report",
                       data=report).status_code == 303
    return [comment.id for comment in db.session.query(Comment)]


def test_no_email_on_any_public_surface(app, newsroom, make, comments_everywhere):
    reader = app.test_client()  # a fresh reader: no session, no typed form
    # the rights in the attribution block, and a story its source withdrew (410 with a note)
    newsroom.syndicated.licence, newsroom.syndicated.credit_line = Licence.CC_BY, "With thanks"
    make.syndicated_article(newsroom.outlet, slug="withdrawn-story", published=False,
                            withdrawn_at=utcnow(), withdrawn_notice=True)
    db.session.commit()
    slugs = ["tide-gauge", "orchard-frost-fans", "quiet-story", "withdrawn-story"]
    needles = set().union(*(forms_of(email) for email in EMAILS.values())) | {TOKEN, "hush-mail"}
    fetched = 0
    for url in public_urls(slugs, comments_everywhere):
        response = reader.get(url)
        # pages, error pages (missing, malformed, wrong method) and the sign-in redirects
        assert response.status_code in (200, 302, 400, 404, 405, 410), url
        text = response.get_data(as_text=True)
        headers = str(response.headers)
        for needle in needles:
            assert needle not in text and needle not in headers, f"{needle!r} leaked at {url}"
            assert needle.lower() not in text.lower(), f"{needle!r} leaked at {url}"
        fetched += 1
    assert fetched > 50


def test_post_only_and_bad_requests_get_error_pages_without_emails(app, comments_everywhere):
    """The error surfaces the search above walks really are error pages."""
    reader = app.test_client()
    assert reader.get("/articles/tide-gauge/comments").status_code == 405
    assert reader.get("/api/v1/articles?page=0").status_code == 400
    assert reader.post("/api/v1/articles").status_code == 405


def test_the_approved_comments_themselves_are_public(app, newsroom, comments_everywhere):
    """The search above is meaningful: the comments it guards do appear."""
    reader = app.test_client()
    page = reader.get("/articles/tide-gauge").get_data(as_text=True)
    assert "Open Olga" in page and "Form Writer" in page and "An answer from the desk." in page
    assert 'id="corrections"' in page and "The fans run on wind, not sun." in page
    assert 'id="picks"' in page and "Read Open Olga's comment in the thread" in page
    api = reader.get("/api/v1/articles/tide-gauge/comments").get_data(as_text=True)
    assert "Open Olga" in api and '"featured":true' in api.replace(" ", "")
    feed = reader.get("/articles/tide-gauge/comments.xml").get_data(as_text=True)
    assert "Open Olga" in feed
    olga = db.session.scalars(select(Comment).where(Comment.author_name == "Open Olga")).first()
    slug = db.session.get(Comment, olga.id).article.slug
    report_page = reader.get(f"/articles/{slug}/comments/{olga.id}/report")
    assert report_page.status_code == 200 and "Open Olga" in report_page.get_data(as_text=True)

