"""The reader's report form: each reason, details when needed, one report per reader, limits."""
from __future__ import annotations

import re

import pytest

from newsroom.extensions import db
from newsroom.models import CommentStatus, ReportReason
from tests.comments.reports.conftest import report_url, reports_of


def test_every_approved_comment_links_to_its_report_form(client, story):
    article, comment = story
    html = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert f'href="{report_url(article, comment)}"' in html
    assert "Report<span class=\"visually-hidden\"> the comment by Tamsin Vale</span>" in html


def test_the_form_names_the_comment_but_never_an_address(reader, story):
    article, comment = story
    response = reader().get(report_url(article, comment))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Tamsin Vale" in html and "railings are far too low" in html
    assert "tamsin@example.org" not in html
    assert "@" not in re.sub(r"<[^>]+>", "", html).replace("name@example.com", "")
    for value in ("spam", "abuse", "off-topic", "illegal", "other"):
        assert f'value="{value}"' in html
    assert response.headers["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("reason, details", [
    ("spam", ""), ("abuse", ""), ("off-topic", ""),
    ("illegal", "It names a witness the court ordered kept anonymous."),
    ("other", "It copies a whole article from another paper."),
])
def test_each_reason_is_taken_and_the_reader_is_thanked(reader, story, reason, details):
    article, comment = story
    response = reader().report(article, comment, reason, details, email="Who@Example.net ")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/articles/{article.slug}#comment-{comment.id}")
    (report,) = reports_of(comment)
    assert report.reason is ReportReason(reason)
    assert report.details == details
    assert report.email == "who@example.net"
    assert report.resolved_at is None and len(report.reporter_key) == 64


@pytest.mark.parametrize("reason", ["illegal", "other"])
def test_illegal_and_other_need_details_and_the_form_keeps_what_was_typed(reader, story, reason):
    article, comment = story
    response = reader().report(article, comment, reason, "", email="keep.me@example.net")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Your report was not sent" in html
    assert "Please tell the moderators what is wrong with this comment." in html
    assert 'value="keep.me@example.net"' in html  # the reader's own address, back to them
    assert re.search(rf'value="{reason}"[^>]*checked|checked[^>]*value="{reason}"', html)
    assert reports_of(comment) == []


def test_a_missing_or_unknown_reason_is_refused(reader, story):
    article, comment = story
    for reason in ("", "boring"):
        response = reader().report(article, comment, reason, "Some words kept here.")
        assert response.status_code == 400
        assert "Some words kept here." in response.get_data(as_text=True)
    assert reports_of(comment) == []


def test_a_repeat_report_says_so_politely_and_is_not_stored(reader, story):
    article, comment = story
    someone = reader()
    assert someone.report(article, comment, "spam").status_code == 303
    again = someone.report(article, comment, "abuse")
    assert again.status_code == 409
    assert "You have already reported this comment" in again.get_data(as_text=True)
    assert "already reported" in someone.get(report_url(article, comment)).get_data(as_text=True)
    # a fresh browser from the same address is the same reader (clearing cookies is no vote)
    same_address = reader(someone.address)
    assert same_address.report(article, comment, "abuse").status_code == 409
    assert len(reports_of(comment)) == 1


def test_comments_readers_cannot_see_cannot_be_reported(reader, story, make):
    article, comment = story
    held = make.comment(article, status=CommentStatus.PENDING)
    closed = make.article("Old story", slug="old-story", comments_enabled=False)
    on_closed = make.comment(closed)
    elsewhere = make.article("Another story", slug="another-story")
    db.session.commit()
    someone = reader()
    assert someone.get(report_url(article, held)).status_code == 404
    assert someone.report(article, held).status_code == 404
    assert someone.get(report_url(closed, on_closed)).status_code == 404
    assert someone.report(closed, on_closed).status_code == 404
    assert someone.get(report_url(elsewhere, comment)).status_code == 404  # wrong story
    assert someone.get(f"/articles/{article.slug}/comments/999999/report").status_code == 404


def test_without_the_csrf_token_nothing_is_stored_and_the_text_is_kept(make_app, make):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        article = make.article("Csrf story", slug="csrf-story")
        comment = make.comment(article)
        db.session.commit()
        client = app.test_client()
        url = report_url(article, comment)
        response = client.post(url, data={"reason": "other", "details": "Words worth keeping."})
        html = response.get_data(as_text=True)
        assert response.status_code == 400
        assert "Your session expired" in html and "Words worth keeping." in html
        assert reports_of(comment) == []
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        sent = client.post(url, data={"reason": "other", "details": "Words worth keeping.",
                                      "csrf_token": token})
        assert sent.status_code == 303
        assert len(reports_of(comment)) == 1


def test_reports_are_rate_limited_per_address_and_the_form_is_kept(make_app, make):
    app = make_app(RATELIMIT_ENABLED=True, COMMENT_REPORT_RATE_LIMIT="2 per hour")
    with app.app_context():
        article = make.article("Limits story", slug="limits-story")
        comments = [make.comment(article) for _ in range(3)]
        db.session.commit()
        client = app.test_client()
        for comment in comments[:2]:
            assert client.post(report_url(article, comment), data={"reason": "spam"}).status_code == 303
        refused = client.post(report_url(article, comments[2]),
                              data={"reason": "other", "details": "Third one, kept."})
        html = refused.get_data(as_text=True)
        assert refused.status_code == 429
        assert "several reports in a short time" in html and "Third one, kept." in html
        assert reports_of(comments[2]) == []
        assert client.get(report_url(article, comments[2])).status_code == 200  # GET is free


def test_two_reports_racing_from_one_browser_store_one(app, story, monkeypatch):
    from newsroom.comments import reports

    article, comment = story
    monkeypatch.setattr(reports, "already_reported", lambda *args: False)  # both pass the check
    fields = dict(reason=ReportReason.SPAM, details="", email="", reporter_key="b" * 64)
    reports.file_report(comment, ip_address="192.0.2.1", **fields)
    db.session.commit()
    with pytest.raises(reports.AlreadyReported):
        reports.file_report(comment, ip_address="192.0.2.2", **fields)
    assert len(reports_of(comment)) == 1


def test_with_mail_off_no_address_is_asked_for_or_kept(app, reader, story):
    from newsroom import mail

    app.extensions["newsroom.mail.mode"] = mail.OFF  # production without a mail server
    article, comment = story
    someone = reader()
    assert 'name="email"' not in someone.get(report_url(article, comment)).get_data(as_text=True)
    assert someone.report(article, comment, "spam", email="sent.anyway@example.net").status_code == 303
    assert reports_of(comment)[0].email is None
