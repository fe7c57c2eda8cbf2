"""The audit view: comment decisions and other staff actions together, newest first, paginated."""
from __future__ import annotations

from datetime import timedelta

from newsroom.extensions import db
from newsroom.models import AuditEntry, CommentStatus, ModerationDecision, utcnow


def test_decisions_and_entries_merged_newest_first(client, moderator, make):
    article = make.article("Bridge repairs")
    comment = make.comment(article, author_name="Rita Reader", status=CommentStatus.REJECTED)
    now = utcnow()
    db.session.add_all([
        ModerationDecision(comment=comment, comment_ref=comment.id, from_status="new",
                           to_status="pending", created_at=now - timedelta(hours=3)),
        ModerationDecision(comment=comment, comment_ref=comment.id, moderator=moderator,
                           from_status="pending", to_status="rejected", reason="personal attack",
                           created_at=now - timedelta(hours=1)),
        ModerationDecision(comment_ref=4242, moderator=moderator, from_status="spam",
                           to_status="deleted", created_at=now - timedelta(minutes=5)),
        AuditEntry(actor=moderator, action="ban", subject="ip 192.0.2.3",
                   detail={"reason": "flooding"}, created_at=now - timedelta(hours=2)),
    ])
    db.session.commit()
    html = client.get("/moderation/audit").get_data(as_text=True)
    rows = ["A comment since deleted (number 4242)", "Rejected (was pending)",
            "Ban: IP address 192.0.2.3", "Arrived, pending"]
    positions = [html.index(row) for row in rows]
    assert positions == sorted(positions)
    assert "personal attack" in html and "Reason: flooding" in html
    assert "Comment by Rita Reader on “Bridge repairs”" in html
    assert "<td>Morgan Desk</td>" in html and "<td>the comment rules</td>" in html


def test_audit_entries_read_as_plain_words(client, moderator, make):
    db.session.add(AuditEntry(
        actor=moderator, action="ban", subject="email pat@readers.example",
        detail={"ban_id": 7, "reason": "", "expires_at": "2026-12-31T07:14:12.226149+00:00",
                "comment_id": None}))
    db.session.commit()
    html = client.get("/moderation/audit").get_data(as_text=True)
    cells = html.split("<tbody>")[1].split("</tbody>")[0]
    assert "Until: 31 December 2026, 07:14 UTC" in cells
    for leftover in ("None", "2026-12-31T07", "ban_id", "comment id", "True"):
        assert leftover not in cells


def test_audit_filters_by_moderator_action_and_day(client, moderator, make, login_as):
    comment = make.comment(make.article(), status=CommentStatus.APPROVED)
    other = make.user(name="Olive Other")
    now = utcnow()
    db.session.add_all([
        ModerationDecision(comment=comment, comment_ref=comment.id, moderator=moderator,
                           from_status="pending", to_status="approved", reason="mine",
                           created_at=now),
        ModerationDecision(comment=comment, comment_ref=comment.id, moderator=other,
                           from_status="approved", to_status="rejected", reason="theirs",
                           created_at=now),
        ModerationDecision(comment=comment, comment_ref=comment.id, moderator=moderator,
                           from_status="rejected", to_status="approved", reason="long ago",
                           created_at=now - timedelta(days=3)),
        AuditEntry(actor=moderator, action="ban", subject="ip 192.0.2.9", created_at=now),
    ])
    db.session.commit()

    def shown(query):
        html = client.get("/moderation/audit?" + query).get_data(as_text=True)
        return {word for word in ("mine", "theirs", "long ago", "192.0.2.9") if word in html}

    today = now.date().isoformat()
    assert shown(f"moderator={moderator.id}") == {"mine", "long ago", "192.0.2.9"}
    assert shown("action=approved") == {"mine", "long ago"}
    assert shown("action=ban") == {"192.0.2.9"}
    assert shown(f"day={today}") == {"mine", "theirs", "192.0.2.9"}
    assert shown(f"moderator={moderator.id}&action=approved&day={today}") == {"mine"}
    assert client.get("/moderation/audit?day=yesterday").status_code == 200
    assert "Ban: IP address 192.0.2.9" in client.get("/moderation/audit").get_data(as_text=True)


def test_audit_view_is_paginated_in_fixed_queries(client, moderator, make, count_queries):
    comment = make.comment(make.article())
    start = utcnow()

    def add(number):
        """``number`` decisions and entries, alternating in time, so every page has both."""
        for n in range(number):
            when = start + timedelta(seconds=2 * n)
            db.session.add(ModerationDecision(comment=comment, comment_ref=comment.id,
                                              moderator=moderator, from_status="a", to_status="b",
                                              created_at=when))
            db.session.add(AuditEntry(actor=moderator, action="ban", subject=f"ip 192.0.2.{n}",
                                      created_at=when + timedelta(seconds=1)))
        db.session.commit()

    add(3)
    with count_queries() as small:
        client.get("/moderation/audit")
    add(60)
    with count_queries() as large:
        html = client.get("/moderation/audit").get_data(as_text=True)
    assert len(small) == len(large)
    assert "Page 1 of 3" in html
    assert html.count("<tr class=\"audit-") == 50
    last = client.get("/moderation/audit?page=3").get_data(as_text=True)
    assert last.count("<tr class=\"audit-") == 26


def test_empty_audit_log(client, moderator):
    assert "Nothing recorded yet." in client.get("/moderation/audit").get_data(as_text=True)
