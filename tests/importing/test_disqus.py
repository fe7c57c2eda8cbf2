"""``import disqus``: comments onto the articles their threads link to, threaded, once."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from newsroom.comments.fragments import fragment_version
from newsroom.extensions import db
from newsroom.models import Comment, CommentStatus, ModerationDecision
from tests.importing.conftest import DISQUS, article, comment_by, rewrite, table_counts


@pytest.fixture
def frost_fans(make):
    """A syndicated story whose original URL one Disqus thread links to (spelled differently)."""
    outlet = make.outlet("Ledger Wire", homepage_url="https://ledger-wire.example/")
    story = make.syndicated_article(outlet, headline="Orchard frost fans tested", slug="frost-fans",
                                    original_url="https://ledger-wire.example/stories/frost-fans")
    db.session.commit()
    return story.id


@pytest.fixture
def both(imported, frost_fans, run_import):
    result = run_import("disqus", DISQUS)
    assert result.exit_code == 0, result.output
    return result


def test_threads_match_old_wordpress_urls_and_original_urls(both, frost_fans):
    wall = article("harbour-wall-repaired")
    assert comment_by("Sven Aas").article_id == wall.id  # via /2020/10/15/…
    assert comment_by("Plum Grower").article_id == frost_fans  # via original_url
    assert comment_by("Early Bird").article_id == article("choir-fills-the-old-ferry-shed").id


def test_comments_keep_threading_dates_authors_and_status(both):
    ruth_first, ruth_reply = db.session.scalars(
        select(Comment).where(Comment.author_name == "Ruth Ek").order_by(Comment.created_at)).all()
    sven = comment_by("Sven Aas")  # listed after the reply that answers it
    assert (ruth_first.parent_id, ruth_first.thread_id) == (None, None)
    assert (sven.parent_id, sven.thread_id) == (ruth_first.id, ruth_first.id)
    assert (ruth_reply.parent_id, ruth_reply.thread_id) == (sven.id, ruth_first.id)
    assert sven.created_at == datetime(2020, 10, 16, 11, tzinfo=timezone.utc)
    assert sven.author_email == "sven.imp0rtleak@mail.example"
    assert sven.ip_address == "198.51.100.51"
    assert comment_by("Early Bird").ip_address is None  # "not-an-address"
    assert comment_by("Gone Gunnar").status is CommentStatus.REJECTED  # isDeleted
    assert comment_by("Watch Seller").status is CommentStatus.SPAM
    assert ruth_first.status is CommentStatus.APPROVED
    assert ruth_first.body == ('<p>Will the <b>south</b> wall be next?</p>'
                               '<p><a rel="nofollow ugc noopener">see</a> </p>')
    decision = db.session.scalars(select(ModerationDecision).where(
        ModerationDecision.comment_id == sven.id)).one()
    assert (decision.to_status, decision.reason) == ("approved", "imported from Disqus")


def test_a_comment_synced_into_wordpress_is_not_imported_twice(both):
    assert len(db.session.scalars(select(Comment).where(Comment.author_name == "Greta Lind"))
               .all()) == 1


def test_counts_and_unmatched_threads_are_reported(both):
    lines = both.output.splitlines()
    assert lines[0] == ("comments: 7 created, 0 updated, 2 skipped (1 already imported; "
                        "1 in a thread that matches no article)")
    assert lines[1] == ("threads matching no article: 1 "
                        "(https://valleyledger.example/2019/03/01/a-story-that-never-moved/)")
    assert "quiet-thread" not in both.output  # a thread without posts needs no article


def test_a_second_import_changes_nothing(both, run_import):
    before = table_counts()
    again = run_import("disqus", DISQUS)
    assert again.exit_code == 0
    assert table_counts() == before
    assert again.output.splitlines()[0] == (
        "comments: 0 created, 0 updated, 9 skipped (8 already imported; "
        "1 in a thread that matches no article)")


def test_without_a_matching_article_every_thread_is_reported(app, run_import):
    result = run_import("disqus", DISQUS)
    assert result.exit_code == 0
    assert "comments: 0 created" in result.output
    assert "threads matching no article: 4" in result.output
    assert table_counts()["comments"] == 0


def test_a_reply_whose_parent_never_comes_goes_to_the_top(imported, run_import, tmp_path):
    orphaned = rewrite(tmp_path, DISQUS, ('<parent dsq:id="9002"/>', '<parent dsq:id="424242"/>'))
    result = run_import("disqus", orphaned)
    assert result.exit_code == 0
    sven = comment_by("Sven Aas")
    assert (sven.parent_id, sven.thread_id) == (None, None)
    reply = db.session.scalars(select(Comment).where(Comment.parent_id == sven.id)).one()
    assert reply.thread_id == sven.id and reply.author_name == "Ruth Ek"
    assert "comments placed at the top level: the comment they answer is not in the file: 1" \
        in result.output


def test_an_empty_message_is_skipped_unless_hidden(imported, frost_fans, run_import, tmp_path):
    emptied = rewrite(tmp_path, DISQUS,
                      ("<![CDATA[<p>The fans kept our plums alive.</p>]]>",
                       "<![CDATA[<script>plums()</script>]]>"),
                      ("<![CDATA[<p>This was removed by its writer.</p>]]>", ""))
    result = run_import("disqus", emptied)
    assert result.exit_code == 0
    assert "1 empty" in result.output.splitlines()[0]
    assert db.session.scalar(select(Comment).where(Comment.author_name == "Plum Grower")) is None
    assert comment_by("Gone Gunnar").body == ""  # rejected, kept: replies may hang from it


def test_imported_approved_comments_get_their_fragments(both):
    comments = db.session.scalars(select(Comment)).all()
    approved = [c for c in comments if c.status is CommentStatus.APPROVED]
    assert approved
    assert all(c.rendered_version == fragment_version() and c.author_name in c.rendered_html
               for c in approved)
