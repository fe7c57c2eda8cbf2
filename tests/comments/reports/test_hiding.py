"""COMMENT_REPORT_HIDE_THRESHOLD: enough distinct readers hide a comment from every public read."""
from __future__ import annotations

import pytest

from newsroom.extensions import db
from newsroom.models import Article, Comment, ModerationDecision


def _public_everywhere(client, article, comment) -> dict[str, bool]:
    """Whether the comment shows on the page, the API, the comments feed and the story card."""
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    api = client.get(f"/api/v1/articles/{article.slug}/comments").get_json()
    feed = client.get(f"/articles/{article.slug}/comments.xml").get_data(as_text=True)
    home = client.get("/").get_data(as_text=True)
    return {
        "page": f'id="comment-{comment.id}"' in page,
        "api": any(item["id"] == comment.id for item in api["items"]),
        "feed": "railings are far too low" in feed,
        "count": "1 comment" in home,
    }


def _version(article) -> int:
    db.session.expire_all()
    return db.session.get(Article, article.id).comments_version


def test_the_third_reader_hides_it_everywhere_and_the_version_moves(client, reader, story):
    article, comment = story
    assert all(_public_everywhere(client, article, comment).values())
    etag = client.get(f"/articles/{article.slug}").headers["ETag"]
    before = _version(article)
    for _ in range(2):
        assert reader().report(article, comment, "abuse").status_code == 303
    assert _version(article) == before  # two reports: nothing public changed
    assert all(_public_everywhere(client, article, comment).values())
    third = reader().report(article, comment, "spam")
    assert third.status_code == 303
    assert third.headers["Location"].endswith("#comments")  # the comment itself is gone
    assert _version(article) == before + 1
    assert not any(_public_everywhere(client, article, comment).values())
    again = client.get(f"/articles/{article.slug}", headers={"If-None-Match": etag})
    assert again.status_code == 200  # the old page is not revived by a 304
    hidden = db.session.get(Comment, comment.id)
    assert hidden.hidden_at is not None and hidden.status.value == "approved"
    decision = db.session.scalars(db.select(ModerationDecision)
                                  .where(ModerationDecision.comment_id == comment.id)).all()[-1]
    assert (decision.from_status, decision.to_status) == ("approved", "hidden")
    assert decision.moderator_id is None and "3 readers" in decision.reason


def test_a_hidden_comment_cannot_be_reported_or_replied_to(client, reader, story, make_app):
    article, comment = story
    for _ in range(3):
        reader().report(article, comment)
    assert reader().get(f"/articles/{article.slug}/comments/{comment.id}/report").status_code == 404
    reply = client.post(f"/articles/{article.slug}/comments", data={
        "name": "Lee", "email": "lee@example.net", "body": "I agree.", "parent_id": str(comment.id)})
    assert reply.status_code == 400
    assert "The comment you replied to is not available." in reply.get_data(as_text=True)


def test_replies_under_a_hidden_comment_go_with_it(client, reader, story, make):
    article, comment = story
    answer = make.comment(article, parent=comment, body="Measured them: they are fine.")
    db.session.commit()
    for _ in range(3):
        reader().report(article, comment)
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert f'id="comment-{answer.id}"' not in page
    api = client.get(f"/api/v1/articles/{article.slug}/comments").get_json()
    assert api["items"] == []


@pytest.mark.parametrize("threshold, reports, hidden", [(0, 5, False), (1, 1, True), (2, 1, False)])
def test_the_threshold_is_a_setting_and_zero_never_hides(make_app, make, threshold, reports,
                                                        hidden):
    from tests.comments.reports.conftest import report_url

    app = make_app(COMMENT_REPORT_HIDE_THRESHOLD=threshold)
    with app.app_context():
        article = make.article("Setting story", slug="setting-story")
        comment = make.comment(article)
        db.session.commit()
        for n in range(reports):
            app.test_client().post(report_url(article, comment), data={"reason": "spam"},
                                   environ_base={"REMOTE_ADDR": f"192.0.2.{n + 1}"})
        db.session.expire_all()
        assert (db.session.get(Comment, comment.id).hidden_at is not None) is hidden


def test_a_bad_threshold_setting_is_refused_in_one_line(make_app):
    from newsroom.config import ConfigError

    with pytest.raises(ConfigError, match="COMMENT_REPORT_HIDE_THRESHOLD must be a whole number"):
        make_app(COMMENT_REPORT_HIDE_THRESHOLD="three")


def test_a_hidden_pick_leaves_the_picks_block_and_keep_brings_it_back(client, reader, story,
                                                                      make):
    from newsroom.models import Role
    from newsroom.moderation.featuring import feature
    article, comment = story
    staff = make.user(Role.MODERATOR)
    feature(db.session.get(Comment, comment.id), staff)
    db.session.commit()
    url = f"/articles/{article.slug}"
    assert 'id="picks"' in client.get(url).text
    for _ in range(3):
        reader().report(article, comment)
    assert 'id="picks"' not in client.get(url).text
    from newsroom.comments.reports import keep

    keep(db.session.get(Comment, comment.id), staff)
    db.session.commit()
    assert 'id="picks"' in client.get(url).text
