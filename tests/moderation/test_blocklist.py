"""Managing the blocklist from the desk: normalised, unique, every change in the audit log."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import AuditEntry, BlocklistEntry, BlocklistKind


def _entries() -> list[tuple[str, str]]:
    db.session.expire_all()
    rows = db.session.scalars(select(BlocklistEntry).order_by(BlocklistEntry.id))
    return [(entry.kind.value, entry.value) for entry in rows]


@pytest.mark.parametrize(
    "kind, typed, stored",
    [
        ("word", "  Cheap   PILLS ", "cheap pills"),
        ("word", "Casino!", "casino"),
        ("word", "“Payday”,  LOANS.", "payday loans"),
        ("email", "Spammer@Bulk.Example", "spammer@bulk.example"),
        ("ip", "2001:DB8:0:0::1", "2001:db8::1"),
        ("ip", "203.0.113.200", "203.0.113.200"),
        ("ip", "::FFFF:203.0.113.9", "203.0.113.9"),
        ("domain", "@Bulk-Mail.Example.", "bulk-mail.example"),
        ("domain", "*.spam.example", "spam.example"),
    ],
)
def test_add_normalises(client, moderator, kind, typed, stored):
    response = client.post("/moderation/blocklist", data={"kind": kind, "value": typed})
    assert response.status_code == 302
    assert _entries() == [(kind, stored)]
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "blocklist-add"))
    assert entry.subject == f"{kind} {stored}" and entry.actor_id == moderator.id
    page = client.get("/moderation/blocklist").get_data(as_text=True)
    assert f"<code>{stored}</code>" in page


@pytest.mark.parametrize(
    "kind, typed, message",
    [
        ("email", "not-an-address", "Please enter an email address"),
        ("ip", "300.1.1.1", "Please enter an IP address"),
        ("domain", "no spaces.example", "Please enter a domain"),
        ("word", "   ", "Please enter a value."),
        ("word", "!!! ...", "Please enter a word or phrase with letters or digits."),
        ("word", "one two three four", "Please enter at most 3 words"),
        ("colour", "red", "Not a valid choice."),
    ],
)
def test_invalid_entries_are_shown_again(client, moderator, kind, typed, message):
    response = client.post("/moderation/blocklist", data={"kind": kind, "value": typed})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and message in html
    if typed.strip():
        assert f'value="{typed}"' in html
    assert _entries() == []


def test_duplicates_are_refused(client, moderator):
    client.post("/moderation/blocklist", data={"kind": "word", "value": "casino"})
    response = client.post("/moderation/blocklist", data={"kind": "word", "value": " CASINO "})
    assert response.status_code == 400
    assert "The word casino is already on the blocklist." in response.get_data(as_text=True)
    assert _entries() == [("word", "casino")]


def test_the_same_value_may_be_listed_under_two_kinds(client, moderator):
    client.post("/moderation/blocklist", data={"kind": "word", "value": "bulk.example"})
    client.post("/moderation/blocklist", data={"kind": "domain", "value": "bulk.example"})
    assert _entries() == [("word", "bulk example"), ("domain", "bulk.example")]


def test_remove(client, moderator):
    entry = BlocklistEntry(kind=BlocklistKind.EMAIL, value="gone@bulk.example")
    db.session.add(entry)
    db.session.commit()
    response = client.post(f"/moderation/blocklist/{entry.id}/remove",
                           data={"next": "/moderation/blocklist?kind=email"})
    assert response.location == "/moderation/blocklist?kind=email"
    assert _entries() == []
    removal = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "blocklist-remove"))
    assert removal.subject == "email gone@bulk.example" and removal.actor_id == moderator.id
    assert client.post(f"/moderation/blocklist/{entry.id}/remove").status_code == 404


def test_list_by_kind(client, moderator):
    db.session.add_all([BlocklistEntry(kind=BlocklistKind.WORD, value="lottery"),
                        BlocklistEntry(kind=BlocklistKind.IP, value="192.0.2.77")])
    db.session.commit()
    words = client.get("/moderation/blocklist?kind=word").get_data(as_text=True)
    assert "<code>lottery</code>" in words and "192.0.2.77" not in words
    everything = client.get("/moderation/blocklist").get_data(as_text=True)
    assert "<code>lottery</code>" in everything and "<code>192.0.2.77</code>" in everything


REPLY = {"name": "Wren Holt", "email": "wren@readers.example", "website": "",
         "body": "The harbour lights were out again last night."}


@pytest.mark.parametrize(
    "kind, typed, sent, remote_addr",
    [
        ("word", "  Cheap   PILLS! ", {"body": "Cheap pills, here."}, "192.0.2.1"),
        ("word", "Casino.", {"body": "Visit the CASINO tonight"}, "192.0.2.1"),
        ("email", " Wren@Readers.EXAMPLE ", {}, "192.0.2.1"),
        ("ip", "2001:DB8:0:0::1", {}, "2001:db8::1"),
        ("ip", "2001:db8::1", {}, "2001:0DB8:0000::0001"),
        ("ip", "::ffff:198.51.100.23", {}, "198.51.100.23"),
        ("ip", "198.51.100.23", {}, "::ffff:198.51.100.23"),
        ("domain", "@Readers.Example.", {}, "192.0.2.1"),
    ],
)
def test_an_entry_typed_on_the_desk_catches_the_comment(client, moderator, make, kind, typed,
                                                        sent, remote_addr):
    """What the desk stores is what the policy compares, however the moderator typed it."""
    from newsroom.comments.intake import form_token
    from newsroom.models import Comment

    assert client.post("/moderation/blocklist",
                       data={"kind": kind, "value": typed}).status_code == 302
    article = make.article()
    db.session.commit()
    data = {**REPLY, **sent, "form_token": form_token(article)}
    client.post(f"/articles/{article.slug}/comments", data=data,
                environ_base={"REMOTE_ADDR": remote_addr})
    db.session.expire_all()
    comment = db.session.scalar(select(Comment).where(Comment.article_id == article.id))
    assert comment.status.value == "spam"
    assert f"blocklisted-{kind}" in comment.held_reasons
