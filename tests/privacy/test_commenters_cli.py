"""``flask commenters export | erase | purge-old-data``: what they touch, what they record."""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from newsroom.comments.identity import email_digest
from newsroom.extensions import db
from newsroom.models import (
    AuditEntry,
    Ban,
    BanKind,
    BlocklistEntry,
    BlocklistKind,
    Comment,
    CommentStatus,
    ModerationDecision,
    utcnow,
)
from newsroom.privacy.service import REMOVED_BODY

EMAIL = "morwenna.trist@example.net"


def run(runner, *args):
    result = runner.invoke(args=["commenters", *args])
    db.session.expire_all()  # the command used a session of its own
    return result


def audits(action: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def decision_about(comment_id: int) -> ModerationDecision:
    return db.session.scalar(
        select(ModerationDecision).where(ModerationDecision.comment_ref == comment_id)
    )


def all_comments() -> list[Comment]:
    return list(db.session.scalars(select(Comment).order_by(Comment.id)))


@pytest.fixture
def story(make):
    """An article with two comments by EMAIL (one with a decision) and one by someone else."""
    article = make.article(slug="tide-tables")
    first = make.comment(
        article, author_email=EMAIL, author_name="Morwenna", author_website="https://mor.example",
        ip_address="198.51.100.4", user_agent="Firefox/140", body="First *thought*.",
    )
    db.session.add(ModerationDecision(comment=first, comment_ref=first.id, from_status="new",
                                      to_status="approved", reason="approved by policy"))
    make.comment(
        article, author_email=EMAIL, status=CommentStatus.PENDING, held_reasons=["too-fast"]
    )
    make.comment(article, author_email="someone@example.org", author_name="Someone")
    db.session.commit()
    return article


def test_export_prints_everything_stored_about_the_commenter(runner, story):
    db.session.add_all([
        Ban(kind=BanKind.IP, value="198.51.100.4", reason="flooding"),
        Ban(kind=BanKind.DOMAIN, value="example.net"),
        Ban(kind=BanKind.DOMAIN, value="other.example.net"),
        Ban(kind=BanKind.EMAIL, value="someone@example.org"),
        BlocklistEntry(kind=BlocklistKind.EMAIL, value=EMAIL),
        BlocklistEntry(kind=BlocklistKind.WORD, value="example"),
        BlocklistEntry(kind=BlocklistKind.DOMAIN, value="net"),
    ])
    db.session.commit()
    result = run(runner, "export", EMAIL.upper())
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["email"] == EMAIL
    first, second = data["comments"]
    assert first["article"] == "tide-tables"
    assert (first["name"], first["email"]) == ("Morwenna", EMAIL)
    assert first["website"] == "https://mor.example"
    assert (first["ip_address"], first["user_agent"]) == ("198.51.100.4", "Firefox/140")
    assert first["status"] == "approved" and "First" in first["body"]
    assert first["created_at"] and first["decisions"][0]["to"] == "approved"
    assert first["decisions"][0]["by_staff"] is False
    assert (second["status"], second["held_reasons"]) == ("pending", ["too-fast"])
    assert sorted((ban["kind"], ban["value"]) for ban in data["bans"]) == [
        ("domain", "example.net"), ("ip", "198.51.100.4"),
    ]
    assert [(entry["kind"], entry["value"]) for entry in data["blocklist_entries"]] == [
        ("email", EMAIL), ("domain", "net"),
    ]
    assert all(entry["created_at"] for entry in data["blocklist_entries"])
    assert "someone@example.org" not in result.output


def test_export_is_audited_without_the_email(runner, story, app):
    run(runner, "export", EMAIL)
    (entry,) = audits("commenter-export")
    assert entry.detail["email_hmac"] == email_digest(EMAIL)
    assert entry.detail["comments"] == 2
    assert EMAIL not in entry.subject + json.dumps(entry.detail)


@pytest.mark.parametrize("command", ["export", "erase"])
def test_an_unknown_email_is_a_one_line_error(runner, story, command):
    result = run(runner, command, "nobody@example.org")
    assert result.exit_code != 0
    assert "Error:" in result.output and len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output
    assert audits(f"commenter-{command}") == []


@pytest.mark.parametrize("command", ["export", "erase"])
def test_a_malformed_email_is_a_usage_error(runner, command):
    result = run(runner, command, "not-an-email")
    assert result.exit_code == 2
    assert "is not an email address" in result.output


def test_erase_keeps_the_text_as_anonymous(runner, story, client):
    result = run(runner, "erase", EMAIL)
    assert result.exit_code == 0, result.output
    assert "Anonymised 2 comment(s)" in result.output
    first, second, other = all_comments()
    for comment in (first, second):
        assert comment.author_email == f"erased-{email_digest(EMAIL)[:16]}@invalid"
        assert (comment.author_name, comment.author_website) == ("Anonymous", "")
        assert (comment.ip_address, comment.user_agent) == (None, None)
    assert "First" in first.body and first.status is CommentStatus.APPROVED
    assert (other.author_email, other.author_name) == ("someone@example.org", "Someone")
    page = client.get("/articles/tide-tables").get_data(as_text=True)
    assert "Morwenna" not in page and "Anonymous" in page and "First" in page


@pytest.mark.parametrize("option", [[], ["--delete"]])
def test_a_page_cached_before_the_erasure_is_not_served_after_it(runner, story, client, option):
    url = "/articles/tide-tables"
    before = client.get(url)
    assert "Morwenna" in before.get_data(as_text=True)  # now in the rendered-page cache
    assert run(runner, "erase", EMAIL, *option).exit_code == 0
    after = client.get(url)
    assert "Morwenna" not in after.get_data(as_text=True)
    assert after.headers["ETag"] != before.headers["ETag"]
    revalidated = client.get(url, headers={"If-None-Match": before.headers["ETag"]})
    assert revalidated.status_code == 200


def test_erase_is_audited_with_a_hash_never_the_email(runner, story):
    ids = [comment.id for comment in all_comments()[:2]]
    run(runner, "erase", EMAIL)
    (entry,) = audits("commenter-erase")
    assert entry.detail["email_hmac"] == email_digest(EMAIL)
    assert (entry.detail["mode"], entry.detail["anonymised"]) == ("anonymise", 2)
    assert entry.detail["comment_ids"] == ids
    assert EMAIL not in entry.subject + json.dumps(entry.detail)


def test_after_erasure_nothing_is_found_for_the_email(runner, story):
    run(runner, "erase", EMAIL)
    assert run(runner, "export", EMAIL).exit_code != 0


def test_erase_says_when_a_ban_still_names_the_email(runner, story):
    db.session.add(Ban(kind=BanKind.EMAIL, value=EMAIL))
    db.session.commit()
    result = run(runner, "erase", EMAIL)
    assert "1 ban(s) still name this email address" in result.output
    assert "blocklist" not in result.output


def test_erase_says_when_the_blocklist_still_names_the_email(runner, story):
    db.session.add(BlocklistEntry(kind=BlocklistKind.EMAIL, value=EMAIL))
    db.session.commit()
    result = run(runner, "erase", EMAIL)
    assert "The blocklist still names this email address" in result.output


def test_erase_delete_removes_the_comments_and_records_each(runner, story):
    mine = [comment.id for comment in all_comments()[:2]]
    result = run(runner, "erase", EMAIL, "--delete")
    assert result.exit_code == 0, result.output
    assert "Deleted 2 comment(s); 0 kept" in result.output
    assert [comment.author_email for comment in all_comments()] == ["someone@example.org"]
    deleted = db.session.scalars(
        select(ModerationDecision).where(ModerationDecision.to_status == "deleted")
    ).all()
    assert sorted(decision.comment_ref for decision in deleted) == mine
    assert all(decision.comment_id is None for decision in deleted)
    assert {decision.from_status for decision in deleted} == {"approved", "pending"}
    (entry,) = audits("commenter-erase")
    detail = entry.detail
    assert (detail["mode"], detail["deleted"], detail["kept_for_replies"]) == ("delete", 2, 0)


def test_erase_delete_keeps_a_note_where_others_replied(runner, make):
    """mine(A) <- other(B) <- mine(C);  mine(D) <- mine(E): A stays as a note, C, D, E go."""
    article = make.article()
    a = make.comment(article, author_email=EMAIL, body="A")
    b = make.comment(article, parent=a, author_email="other@example.org", body="B")
    c = make.comment(article, parent=b, author_email=EMAIL, body="C")
    d = make.comment(article, author_email=EMAIL, body="D")
    make.comment(article, parent=d, author_email=EMAIL, body="E")
    db.session.commit()
    a_id, b_id, c_id = a.id, b.id, c.id
    result = run(runner, "erase", EMAIL, "--delete")
    assert "Deleted 3 comment(s); 1 kept" in result.output, result.output
    remaining = all_comments()
    assert [comment.id for comment in remaining] == [a_id, b_id]
    note, reply = remaining
    assert (note.body, note.author_name, note.ip_address) == (REMOVED_BODY, "Anonymous", None)
    assert EMAIL != note.author_email
    assert (reply.parent_id, reply.body) == (a_id, "B")
    kept = decision_about(a_id)
    assert kept.from_status == kept.to_status == "approved"
    assert "kept for its replies" in kept.reason
    assert decision_about(c_id).to_status == "deleted"


def test_purge_clears_old_ips_and_user_agents_only(runner, make):
    article = make.article()
    old = make.comment(article, created_at=utcnow() - timedelta(days=91))
    recent = make.comment(article, created_at=utcnow() - timedelta(days=89))
    db.session.commit()
    old_id, recent_id = old.id, recent.id
    result = run(runner, "purge-old-data")
    assert result.exit_code == 0
    assert "of 1 comment(s) older than 90 days" in result.output
    old, recent = db.session.get(Comment, old_id), db.session.get(Comment, recent_id)
    assert (old.ip_address, old.user_agent) == (None, None)
    assert (recent.ip_address, recent.user_agent) == ("203.0.113.7", "pytest")
    assert old.author_email and old.body  # only the network traces go
    (entry,) = audits("purge-old-data")
    assert (entry.detail["days"], entry.detail["comments"]) == (90, 1)


def test_purge_takes_days_from_the_option_or_the_config(make_app, make):
    app = make_app(PERSONAL_DATA_RETENTION_DAYS=10)
    with app.app_context():
        article = make.article()
        make.comment(article, created_at=utcnow() - timedelta(days=11))
        make.comment(article, created_at=utcnow() - timedelta(days=5))
        db.session.commit()
        runner = app.test_cli_runner()
        assert "of 1 comment(s) older than 10 days" in run(runner, "purge-old-data").output
        result = run(runner, "purge-old-data", "--days", "3")
        assert "of 1 comment(s) older than 3 days" in result.output
        assert "of 0 comment(s)" in run(runner, "purge-old-data", "--days", "3").output


def test_purge_refuses_a_negative_number_of_days(runner):
    result = run(runner, "purge-old-data", "--days", "-1")
    assert result.exit_code == 2
    assert "Traceback" not in result.output
