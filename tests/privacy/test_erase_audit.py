"""``commenters erase`` leaves no clear name or address of the commenter in the audit log.

The desk writes both into audit entries: a deleted comment's snapshot names its author, and a
ban, its lifting or a blocklist entry on an email address has that address as its subject.
"""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from newsroom.comments.identity import email_digest
from newsroom.extensions import db
from newsroom.models import AuditEntry, CommentStatus, Role
from newsroom.privacy.service import REMOVED_EXCERPT

EMAIL = "Ottoline.Brack@Example.net"
ADDRESS = EMAIL.lower()
NAME = "Ottoline Brack"
OTHER_NAME = "Someone Else"


def run(runner, *args):
    result = runner.invoke(args=["commenters", *args])
    db.session.expire_all()
    return result


def entries() -> list[AuditEntry]:
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


def text_of(entry: AuditEntry) -> str:
    return entry.subject + " " + json.dumps(entry.detail, ensure_ascii=False)


@pytest.fixture
def desk_history(client, login_as, make):
    """What a moderator did about the commenter from the desk, through the desk's own routes.

    Deleted one of their comments, banned their email from another and lifted the ban,
    put the address on the blocklist; also deleted someone else's comment.
    """
    login_as(Role.MODERATOR)
    article = make.article()
    deleted = make.comment(article, author_email=ADDRESS, author_name=NAME,
                           status=CommentStatus.PENDING, body="Something I regret writing.")
    kept = make.comment(article, author_email=ADDRESS, author_name=NAME)
    other = make.comment(article, author_name=OTHER_NAME, body="Not theirs.")
    db.session.commit()
    kept_id = kept.id
    for response in [
        client.post(f"/moderation/comments/{deleted.id}/delete", data={"reason": "abuse"}),
        client.post(f"/moderation/comments/{other.id}/delete"),
        client.post(f"/moderation/comments/{kept_id}/ban", data={"kind": "email"}),
        client.post("/moderation/blocklist", data={"kind": "email", "value": EMAIL}),
    ]:
        assert response.status_code == 302
    ban_id = entries()[-2].detail["ban_id"]
    assert client.post(f"/moderation/bans/{ban_id}/lift").status_code == 302
    client.get("/moderation/bans")  # shows (and so clears) the flashed messages
    return {"kept": kept_id}


def test_the_desk_writes_the_name_and_address_before_erasure(desk_history):
    texts = " ".join(text_of(entry) for entry in entries())
    assert NAME in texts and ADDRESS in texts  # otherwise the test below proves nothing
    snapshot = next(entry for entry in entries() if entry.action == "delete-comment")
    assert snapshot.detail["email_hmac"] == email_digest(ADDRESS)


def test_erase_scrubs_the_name_and_address_from_the_audit_log(runner, client, desk_history):
    result = run(runner, "erase", EMAIL)
    assert result.exit_code == 0, result.output
    assert "Removed their name or address from 4 audit log entries." in result.output
    for entry in entries():
        assert NAME not in text_of(entry) and ADDRESS not in text_of(entry).lower(), entry.action
    actions = {entry.action: entry for entry in entries()}
    assert {"ban", "lift-ban", "blocklist-add"} <= set(actions)
    digest = email_digest(ADDRESS)
    assert actions["ban"].subject == f"email erased-{digest[:16]}"
    assert actions["ban"].detail["email_hmac"] == digest
    assert actions["ban"].detail["ban_id"]  # the rest of the record stays
    erase = actions["commenter-erase"]
    assert erase.detail["audit_entries_scrubbed"] == 4
    html = client.get("/moderation/audit").get_data(as_text=True)
    assert NAME not in html and ADDRESS not in html.lower()
    assert digest not in html  # the linking hash is for the commands, not for reading


def test_the_snapshot_keeps_its_text_unless_deleting(runner, desk_history):
    run(runner, "erase", EMAIL)
    mine, theirs = [entry for entry in entries() if entry.action == "delete-comment"]
    assert mine.detail["author_name"] == "Anonymous"
    assert mine.detail["excerpt"] == "Something I regret writing."
    assert mine.detail["reason"] == "abuse"
    assert theirs.detail["author_name"] == OTHER_NAME  # someone else's record is left alone


def test_erase_delete_also_drops_the_snapshot_text(runner, desk_history):
    run(runner, "erase", EMAIL, "--delete")
    mine = next(entry for entry in entries() if entry.action == "delete-comment")
    assert (mine.detail["author_name"], mine.detail["excerpt"]) == ("Anonymous", REMOVED_EXCERPT)


@pytest.mark.parametrize("option, said", [([], "Anonymised 0 comment(s)"),
                                          (["--delete"], "Deleted 0 comment(s)")])
def test_erase_works_when_the_desk_deleted_every_comment(runner, client, desk_history, option,
                                                         said):
    assert client.post(f"/moderation/comments/{desk_history['kept']}/delete").status_code == 302
    result = run(runner, "erase", EMAIL, *option)
    assert result.exit_code == 0, result.output
    assert said in result.output
    assert not any(NAME in text_of(entry) for entry in entries())


def test_export_includes_comments_deleted_from_the_desk(runner, desk_history):
    result = run(runner, "export", EMAIL)
    data = json.loads(result.output)
    [deleted] = data["deleted_comments"]
    assert (deleted["author_name"], deleted["excerpt"]) == (NAME, "Something I regret writing.")
    assert deleted["deleted_at"] and "email_hmac" not in deleted
    assert OTHER_NAME not in result.output
