"""The desk's Reported tab, Keep, and reject/spam/delete answering the reports; all recorded."""
from __future__ import annotations

import re

import pytest

from newsroom.extensions import db
from newsroom.models import Comment, CommentReport, ModerationDecision, ReportOutcome
from tests.comments.reports.conftest import reports_of


@pytest.fixture
def moderator(login_as):
    from newsroom.models import Role

    return login_as(Role.MODERATOR, name="Rhea Desk")


def _report(reader, article, comment, times, reason="abuse", details=""):
    for _ in range(times):
        assert reader().report(article, comment, reason, details).status_code == 303


def _decisions(comment) -> list[tuple[str, str, str]]:
    db.session.expire_all()
    return [(d.from_status, d.to_status, d.reason) for d in db.session.scalars(
        db.select(ModerationDecision).where(ModerationDecision.comment_id == comment.id)
        .order_by(ModerationDecision.id))]


def test_the_tab_orders_by_open_reports_then_age_and_shows_reasons(client, moderator, reader,
                                                                  story, make):
    article, comment = story
    once = make.comment(article, body="Only one reader minded this.")
    older_once = make.comment(article, body="One reader, earlier.")
    db.session.commit()
    _report(reader, article, older_once, 1, "spam")
    _report(reader, article, once, 1, "off-topic")
    _report(reader, article, comment, 1, "illegal", "It names a protected witness.")
    _report(reader, article, comment, 1, "other", "Copied from <b>another</b> paper.")
    html = client.get("/moderation/?status=reported").get_data(as_text=True)
    rows = re.findall(r'id="row-(\d+)"', html)
    assert rows == [str(comment.id), str(older_once.id), str(once.id)]
    assert "Two open reports" in html
    assert "Illegal content" in html and "It names a protected witness." in html
    assert "Copied from &lt;b&gt;another&lt;/b&gt; paper." in html  # the reader's words, escaped
    assert re.search(r'Reported <span class="count">3</span>', html)


def test_keep_dismisses_the_reports_and_shows_the_comment_again(client, moderator, reader, story):
    article, comment = story
    _report(reader, article, comment, 3)
    assert f'id="comment-{comment.id}"' not in client.get(f"/articles/{article.slug}").text
    response = client.post(f"/moderation/comments/{comment.id}/keep",
                           data={"reason": "Fair criticism of the design.",
                                 "next": "/moderation/?status=reported"})
    assert response.status_code == 302
    assert f'id="comment-{comment.id}"' in client.get(f"/articles/{article.slug}").text
    reports = reports_of(comment)
    assert {r.resolution for r in reports} == {ReportOutcome.KEPT}
    assert all(r.resolved_by_id == moderator.id for r in reports)
    assert all(r.resolution_reason == "Fair criticism of the design." for r in reports)
    assert db.session.get(Comment, comment.id).hidden_at is None
    assert _decisions(comment)[-1][:2] == ("hidden", "approved")
    assert "3 report(s) dismissed" in _decisions(comment)[-1][2]
    assert 'id="row-' not in client.get("/moderation/?status=reported").text
    # the same readers cannot report it again: one report per reader per comment, ever
    assert len(reports_of(comment)) == 3


def test_keep_below_the_threshold_is_recorded_too(client, moderator, reader, story):
    article, comment = story
    _report(reader, article, comment, 1)
    client.post(f"/moderation/comments/{comment.id}/keep")
    assert _decisions(comment)[-1][:2] == ("approved", "approved")
    assert reports_of(comment)[0].resolution is ReportOutcome.KEPT


@pytest.mark.parametrize("action, status", [("reject", "rejected"), ("spam", "spam")])
def test_reject_or_spam_resolves_the_reports_as_removed(client, moderator, reader, story, action,
                                                        status):
    article, comment = story
    _report(reader, article, comment, 3)
    client.post(f"/moderation/comments/{comment.id}/{action}", data={"reason": "Unkind."})
    after = db.session.get(Comment, comment.id)
    assert after.status.value == status and after.hidden_at is None
    reports = reports_of(comment)
    assert {r.resolution for r in reports} == {ReportOutcome.REMOVED}
    assert {r.resolution_reason for r in reports} == {"Unkind."}
    assert _decisions(comment)[-1][:2] == ("approved", status)
    # undo brings it back to approved, and shown (its reports stay answered)
    client.post(f"/moderation/comments/{comment.id}/undo")
    assert f'id="comment-{comment.id}"' in client.get(f"/articles/{article.slug}").text


def test_deleting_a_reported_comment_resolves_its_reports_which_outlive_it(client, moderator,
                                                                          reader, story):
    article, comment = story
    _report(reader, article, comment, 2)
    client.post(f"/moderation/comments/{comment.id}/delete")
    reports = db.session.scalars(db.select(CommentReport)).all()
    assert len(reports) == 2 and {r.comment_id for r in reports} == {None}
    assert {r.resolution for r in reports} == {ReportOutcome.REMOVED}


def test_keep_is_only_for_an_approved_comment(client, moderator, make):
    from newsroom.models import CommentStatus

    comment = make.comment(make.article(), status=CommentStatus.PENDING)
    db.session.commit()
    response = client.post(f"/moderation/comments/{comment.id}/keep",
                           headers={"Accept": "application/json"})
    assert response.status_code == 409
    assert _decisions(comment) == []


def test_the_audit_log_names_hidden_decisions(client, moderator, reader, story):
    article, comment = story
    _report(reader, article, comment, 3)
    html = client.get("/moderation/audit?action=hidden").get_data(as_text=True)
    assert "reported by 3 readers" in html


@pytest.mark.parametrize("extra", ["", "&page=2&per_page=10"])
def test_the_tab_costs_the_same_for_3_or_30_reported_comments(client, moderator, reader, story,
                                                             make, count_queries, extra):
    article, _ = story

    def fill(n):
        for _ in range(n):
            comment = make.comment(article)
            db.session.commit()
            _report(reader, article, comment, 2, "other", "A reader's words.")

    fill(3)
    url = "/moderation/?status=reported" + extra
    with count_queries() as small:
        assert client.get(url).status_code == 200
    fill(27)
    with count_queries() as large:
        html = client.get(url).get_data(as_text=True)
    assert html.count('class="row-reports"') == (10 if extra else 25)
    assert len(small) == len(large), large
    # user, counts, page, decisions, reply counts, commenters' records, open reports
    assert len(large) <= 7, large
