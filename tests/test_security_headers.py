"""Security headers on every page type; no-store on staff pages and on a commenter's own data."""
from __future__ import annotations

import io
import logging
from datetime import timedelta

import pytest

from newsroom.accounts.tokens import invitation_token, reset_token
from newsroom.extensions import db
from newsroom.models import (
    CommentStatus, Invitation, MailRecord, MailStatus, Role, Subscriber, utcnow,
)
from newsroom.media.library import upload
from newsroom.security import CONTENT_SECURITY_POLICY
from tests.media import images

#: Every GET route of the app, as a concrete URL (``{...}`` filled from the ``site`` fixture).
GET_PAGES = {
    "readers.home": "/",
    "readers.section": "/sections/{section}",
    "readers.article": "/articles/{article}",
    "readers.report_comment": "/articles/{article}/comments/{approved_comment}/report",
    "readers.session_form": "/session/form?article={article_id}",
    "distribution.comments_rss": "/articles/{article}/comments.xml",
    "distribution.rss": "/feed.xml",
    "distribution.atom": "/atom.xml",
    "distribution.section_rss": "/sections/{section}/feed.xml",
    "distribution.section_atom": "/sections/{section}/atom.xml",
    "distribution.sitemap": "/sitemap.xml",
    "distribution.news_sitemap": "/sitemap-news.xml",
    "distribution.robots": "/robots.txt",
    "api.articles": "/api/v1/articles",
    "api.article": "/api/v1/articles/{article}",
    "api.article_comments": "/api/v1/articles/{article}/comments",
    "api.openapi": "/api/v1/openapi.json",
    "api.outlets": "/api/v1/outlets",
    "api.sections": "/api/v1/sections",
    "static": "/static/css/site.css",
    "auth.login": "/login",
    "accounts.forgot": "/login/forgot",
    "accounts.reset": "/login/reset/{reset_token}",
    "accounts.account": "/account",
    "moderation.queue": "/moderation/",
    "moderation.audit": "/moderation/audit",
    "moderation.bans": "/moderation/bans",
    "moderation.blocklist": "/moderation/blocklist",
    "moderation.ban": "/moderation/comments/{comment}/ban",
    "moderation.reply": "/moderation/comments/{comment}/reply",
    "moderation.confirm_delete": "/moderation/comments/{comment}/delete",
    "editors.index": "/editor/",
    "editors.article": "/editor/articles/{article_id}",
    "editors.edit_article": "/editor/articles/{article_id}/edit",
    "editors.preview": "/editor/articles/{article_id}/preview",
    "editors.source_update": "/editor/articles/{article_id}/source-update",
    "editors.corrections": "/editor/articles/{article_id}/corrections",
    "editors.article_rights": "/editor/articles/{article_id}/rights",
    "editors.compare_revisions": "/editor/articles/{article_id}/compare",
    "editors.trash_article": "/editor/articles/{article_id}/trash",
    "editors.confirm_unpublish": "/editor/articles/{article_id}/unpublish",
    "editors.new_article": "/editor/articles/new",
    "editors.outlets": "/editor/outlets",
    "editors.outlet": "/editor/outlets/{outlet_id}",
    "editors.edit_outlet": "/editor/outlets/{outlet_id}/edit",
    "editors.new_outlet": "/editor/outlets/new",
    "editors.sections": "/editor/sections",
    "editors.edit_section": "/editor/sections/{section_id}/edit",
    "editors.new_section": "/editor/sections/new",
    "admin.jobs": "/admin/jobs",
    "admin.invitations": "/admin/invitations",
    "accounts.accept_invitation": "/invitations/{invitation_token}",
    "admin.outbox": "/admin/outbox",
    "admin.outbox_message": "/admin/outbox/{mail_id}",
    "subscriptions.show": "/subscriptions/{token}",
    "subscriptions.unsubscribe_page": "/subscriptions/{token}/unsubscribe",
    "health.healthz": "/healthz",
    "editors.media": "/editor/media",
    "editors.media_image": "/editor/media/{image_id}",
    "editors.upload_media": "/editor/media/upload",
    "editors.media_choices": "/editor/media/choices",
    "media.file": "/media/{image_digest}/{image_file}",
}

STAFF_ENDPOINTS = {
    name for name in GET_PAGES if name.split(".")[0] in ("moderation", "editors", "admin", "accounts")
}


@pytest.fixture
def app(make_app, tmp_path):
    app = make_app(MEDIA_DIR=str(tmp_path / "media"))
    with app.app_context():
        yield app


@pytest.fixture
def site(make):
    return build_site(make)


def build_site(make) -> dict:
    """One of everything a GET_PAGES URL names; the values to format those URLs with."""
    section = make.section("Harbour", slug="harbour")
    outlet = make.outlet("Valley Ledger")
    article = make.syndicated_article(outlet, headline="Ferry timetable", slug="ferry-timetable",
                                      section=section)
    comment = make.comment(article, status=CommentStatus.PENDING)
    approved = make.comment(article, author_name="Ines Harrow")
    subscriber = Subscriber(email="ines@example.org", token="t" * 40)
    mail = MailRecord(key="outbox-1", kind="confirm", recipient_hmac="0" * 64,
                      status=MailStatus.OUTBOX, recipient="ines@example.org", subject="Confirm")
    db.session.add_all([subscriber, mail])
    image, _ = upload(io.BytesIO(images.png(600, 400)), "harbour.png", 10 * 1024 * 1024, None,
                      alt="The harbour wall")
    invitation = Invitation(email="noor@example.org", role=Role.EDITOR,
                            expires_at=utcnow() + timedelta(days=7))
    db.session.add(invitation)
    db.session.commit()
    return {"invitation_token": invitation_token(invitation), "section": "harbour", "article": "ferry-timetable", "article_id": article.id,
            "outlet_id": outlet.id, "section_id": section.id, "comment": comment.id,
            "approved_comment": approved.id,
            "token": subscriber.token, "mail_id": mail.id,
            "reset_token": reset_token(make.user(Role.EDITOR)), "image_id": image.id,
            "image_digest": image.digest,
            "image_file": next(iter(image.renditions[0]["files"].values()))}


def assert_security_headers(
    response, *, hsts: bool = True, referrer: str = "strict-origin-when-cross-origin"
) -> None:
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert csp == CONTENT_SECURITY_POLICY
    for directive in ("default-src 'self'", "frame-ancestors 'none'", "form-action 'self'",
                      "base-uri 'none'", "object-src 'none'"):
        assert directive in csp
    assert "unsafe-inline" not in csp and "nonce-" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == referrer
    assert "camera=()" in headers["Permissions-Policy"]
    assert "geolocation=()" in headers["Permissions-Policy"]
    assert ("Strict-Transport-Security" in headers) is hsts


def test_every_get_route_is_listed_here(app):
    routes = {rule.endpoint for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    assert routes == set(GET_PAGES)


@pytest.mark.parametrize("endpoint", sorted(GET_PAGES))
def test_every_page_type_carries_the_headers(client, login_as, site, endpoint):
    login_as(Role.ADMIN)
    response = client.get(GET_PAGES[endpoint].format(**site))
    assert response.status_code in (200, 302), response.status_code
    # the subscription pages' URLs are secrets: they send no Referer at all
    private = endpoint.startswith("subscriptions.") or endpoint in (
        "accounts.reset", "accounts.accept_invitation")
    assert_security_headers(response, referrer="no-referrer" if private else
                            "strict-origin-when-cross-origin")


@pytest.mark.parametrize("endpoint", sorted(STAFF_ENDPOINTS | {"auth.login"}))
def test_staff_pages_are_never_stored(client, login_as, site, endpoint):
    if endpoint != "auth.login":
        login_as(Role.ADMIN)
    response = client.get(GET_PAGES[endpoint].format(**site))
    assert response.status_code == 200
    assert response.cache_control.no_store


@pytest.mark.parametrize(
    "endpoint", ["subscriptions.show", "subscriptions.unsubscribe_page", "readers.session_form"]
)
def test_a_reader_s_own_pages_are_never_stored(client, site, endpoint):
    """Signed out (signed in, every page is no-store): a subscriber's page shows their address
    and subscriptions, /session/form this browser's own tokens."""
    response = client.get(GET_PAGES[endpoint].format(**site))
    assert response.status_code == 200
    assert response.cache_control.no_store and not response.cache_control.public


def test_a_staff_page_asked_for_while_signed_out_is_not_stored_either(client):
    response = client.get("/moderation/")
    assert response.status_code == 302 and response.cache_control.no_store


@pytest.mark.parametrize("path", ["/", "/articles/ferry-timetable", "/feed.xml", "/sitemap.xml",
                                  "/api/v1/articles", "/static/css/site.css"])
def test_public_pages_stay_cacheable(client, site, path):
    response = client.get(path)
    assert response.status_code == 200
    assert not response.cache_control.no_store


def test_a_signed_in_editor_s_view_of_a_reader_page_is_not_stored(client, login_as, site):
    login_as(Role.EDITOR)
    response = client.get("/articles/ferry-timetable")
    assert response.status_code == 200 and response.cache_control.no_store


def test_a_refused_reply_form_showing_the_typed_email_is_not_stored(client, site):
    response = client.post("/articles/ferry-timetable/comments", data={
        "name": "Tove Marsh", "email": "tove@example.org", "body": "", "website": "",
    })
    assert response.status_code == 400
    assert "tove@example.org" in response.get_data(as_text=True)
    assert response.cache_control.no_store
    assert_security_headers(response)


def test_a_refused_sign_in_is_not_stored(client, site):
    response = client.post("/login", data={"email": "nobody@newsroom.example", "password": "x"})
    assert response.status_code == 400
    assert response.cache_control.no_store
    assert_security_headers(response)


@pytest.mark.parametrize("status", [404, 405])
def test_error_pages_carry_the_headers(client, status):
    response = client.get("/no-such-page") if status == 404 else client.get("/logout")
    assert response.status_code == status
    assert_security_headers(response)


def test_no_hsts_unless_the_site_url_is_https(make_app):
    response = make_app(SITE_URL="http://news.example").test_client().get("/")
    assert_security_headers(response, hsts=False)


def test_no_template_has_inline_script_style_or_event_handlers(app):
    """So the CSP needs no 'unsafe-inline' and no nonce (JSON-LD is data, not script)."""
    import re
    from pathlib import Path

    inline = re.compile(
        r"<style|\sstyle=|\son[a-z]+=|<script(?![^>]*\b(src=|type=\"application/ld\+json\"))"
    )
    templates = Path(app.root_path).parent / "templates"
    offenders = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if inline.search(path.read_text())
    ]
    assert offenders == []


def test_production_start_up_warns_once_without_a_site_url(database_url, tmp_path, caplog):
    from newsroom import create_app

    config = {"SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": database_url, "SITE_URL": None}
    with caplog.at_level(logging.WARNING, logger="newsroom.security"):
        create_app(dict(config), instance_path=str(tmp_path))
        create_app(dict(config, SITE_URL="https://news.example"), instance_path=str(tmp_path))
    warnings = [r for r in caplog.records if "NEWSROOM_SITE_URL is not set" in r.getMessage()]
    assert len(warnings) == 1


def test_a_header_a_view_set_itself_is_kept(make_app):
    app = make_app()

    @app.get("/framed-here")
    def framed_here():
        return "x", {"X-Frame-Options": "SAMEORIGIN", "referrer-policy": "no-referrer"}

    response = app.test_client().get("/framed-here")
    assert response.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert response.headers.getlist("Referrer-Policy") == ["no-referrer"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
