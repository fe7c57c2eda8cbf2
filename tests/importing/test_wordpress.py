"""``import wordpress``: what each part of a WXR file becomes, and a second run changing nothing."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from newsroom.comments.fragments import fragment_version
from newsroom.extensions import db
from newsroom.models import (
    Article, ArticleRevision, Comment, CommentStatus, ImportedItem, ModerationDecision, Section,
)
from tests.importing.conftest import WXR, article, comment_by, rewrite, table_counts

UTC = timezone.utc


def test_posts_become_articles_with_their_fields(imported):
    story = article("harbour-wall-repaired")
    assert story.headline == "Harbour wall repaired before the winter storms"
    assert story.standfirst == "The north wall is ready two weeks early & under budget."
    assert story.byline == "Mira Holt"  # the wp:author's display name, not the login
    assert story.section.slug == "harbour" and story.section.name == "Harbour"
    assert story.published_at == datetime(2020, 10, 15, 9, 30, tzinfo=UTC)  # post_date_gmt
    assert story.comments_enabled
    assert not story.is_syndicated
    choir = article("choir-fills-the-old-ferry-shed")  # no post_name: the slug is the title's
    assert choir.byline == "Tobias Brenn" and choir.section.name == "Arts & Culture"
    assert not choir.comments_enabled  # comment_status closed


def test_statuses_map_to_published_scheduled_and_draft(imported):
    assert article("ferry-timetable-new-year").published_at == datetime(2100, 1, 1, 7, tzinfo=UTC)
    for slug in ("notes-on-the-bridge-survey", "allotments", "budget-memo", "ferry-history"):
        assert article(slug).published_at is None, slug  # draft, pending, private, password
    assert db.session.scalar(select(Article).where(Article.headline == "Binned story")) is None


def test_a_password_protected_post_is_a_draft_with_a_note(imported):
    story = article("ferry-history")
    revision = db.session.scalars(
        select(ArticleRevision).where(ArticleRevision.article_id == story.id)).one()
    assert revision.action == "imported: password-protected"
    assert "Password-protected in WordPress" in revision.changes["note"][1]
    assert "oars2020" not in str(revision.changes)


def test_a_draft_without_a_gmt_date_is_read_in_the_site_zone(app, run_import):
    assert run_import("wordpress", WXR, "--timezone", "Europe/Oslo").exit_code == 0
    draft = article("notes-on-the-bridge-survey")  # post_date 09:15 in Oslo, winter: UTC+1
    assert draft.created_at == datetime(2020, 12, 1, 8, 15, tzinfo=UTC)


def test_an_unknown_zone_is_refused(app, run_import):
    result = run_import("wordpress", WXR, "--timezone", "Mars/Olympus")
    assert result.exit_code != 0 and "unknown time zone 'Mars/Olympus'" in result.output
    assert table_counts()["articles"] == 0


def test_a_taken_slug_gets_a_suffix(make, run_import):
    make.article("An older wall story", slug="harbour-wall-repaired")
    db.session.commit()
    assert run_import("wordpress", WXR).exit_code == 0
    headlines = dict(db.session.execute(select(Article.slug, Article.headline)).all())
    assert headlines["harbour-wall-repaired"] == "An older wall story"
    assert headlines["harbour-wall-repaired-2"] == "Harbour wall repaired before the winter storms"
    assert headlines["harbour-wall-repaired-3"] == "Harbour wall: the follow-up"


def test_block_comments_and_shortcodes_become_plain_html(imported):
    body = article("harbour-wall-repaired").body
    assert "wp:" not in body and "[caption" not in body and "[gallery" not in body
    assert ('<figure><img src="https://valleyledger.example/wp-content/uploads/2020/10/wall.jpg" '
            'alt="The repaired wall" width="640" height="400"><figcaption>The wall at low tide'
            '</figcaption></figure>') in body
    assert "the work held up well in the first gale" in body  # unknown shortcode, content kept
    assert '<a href="https://video.example/watch/wall">' in body  # [embed]
    assert '[sic] "Harbor".' in body and "contact-form-7" not in body
    assert "<script" not in body and "alert" not in body and "onclick" not in body
    assert "<p>Inline handlers go.</p>" in body


def test_a_classic_editor_body_gets_paragraphs(imported):
    body = article("choir-fills-the-old-ferry-shed").body
    assert ("<p>Two hundred people came to hear the valley choir on Sunday.<br>\n"
            "The shed's roof held, just.</p>") in body
    assert "<blockquote>It sounded like a cathedral.</blockquote>" in body
    assert "<p>Write [gallery] to show a gallery, said the organiser.</p>" in body  # [[escaped]]
    assert '<p><a href="https://video.example/watch/choir">' in body  # a bare URL line


def test_categories_become_sections_reusing_existing_ones(make, run_import):
    harbour_id = make.section("Harbour", slug="harbour").id
    db.session.commit()
    assert run_import("wordpress", WXR).exit_code == 0
    sections = dict(db.session.execute(select(Section.slug, Section.name)).all())
    assert sections == {"harbour": "Harbour", "arts-culture": "Arts & Culture"}  # none for
    assert article("ferry-timetable-new-year").section_id == harbour_id  # "Uncategorized"
    assert article("notes-on-the-bridge-survey").section_id is None


def test_comments_keep_threading_authors_and_status(imported):
    greta, piet, olaf = comment_by("Greta Lind"), comment_by("Piet Vos"), comment_by("Olaf Strand")
    assert (greta.parent_id, greta.thread_id) == (None, None)
    assert (piet.parent_id, piet.thread_id) == (greta.id, greta.id)
    assert (olaf.parent_id, olaf.thread_id) == (piet.id, greta.id)  # the app's threading rule
    assert greta.author_email == "greta.imp0rtleak@mail.example"
    assert greta.author_website == "https://greta.example/" and greta.ip_address == "203.0.113.7"
    assert greta.created_at == datetime(2020, 10, 15, 11, tzinfo=UTC)
    assert olaf.author_website == ""  # a javascript: URL is not a website
    assert olaf.ip_address == "2001:db8::5"
    assert olaf.body == "Replying to Piet: the <b>concrete</b> cured in time."  # sanitised
    statuses = {c.author_name: c.status for c in db.session.scalars(select(Comment))}
    assert statuses == {
        "Greta Lind": CommentStatus.APPROVED, "Piet Vos": CommentStatus.APPROVED,
        "Olaf Strand": CommentStatus.APPROVED, "Held Hanna": CommentStatus.PENDING,
        "Cheap Pills": CommentStatus.SPAM, "Binned Bo": CommentStatus.REJECTED,
        "Lone Reply": CommentStatus.APPROVED,
    }  # no pingback, trackback, nor the comments on the page and on the binned post
    lone = comment_by("Lone Reply")  # its parent is not in the export
    assert (lone.parent_id, lone.thread_id) == (None, None)


def test_every_imported_comment_has_its_decision_recorded(imported):
    decisions = db.session.scalars(select(ModerationDecision)).all()
    assert len(decisions) == 7
    by_comment = {d.comment_id: d for d in decisions}
    spam = comment_by("Cheap Pills")
    assert (by_comment[spam.id].from_status, by_comment[spam.id].to_status) == ("new", "spam")
    assert by_comment[spam.id].reason == "imported from WordPress"


def test_the_counts_are_printed(imported):
    lines = imported.output.splitlines()
    assert "articles: 8 created, 0 updated, 1 skipped (1 in WordPress's trash)" in lines
    assert "sections: 2 created, 0 updated, 0 skipped" in lines
    assert ("comments: 7 created, 0 updated, 4 skipped (1 on pages and other skipped items; "
            "1 on posts not imported; 2 pingbacks and trackbacks)") in lines
    assert ("other items: 0 created, 0 updated, 4 skipped (1 attachments; 1 menu items; "
            "1 other post types; 1 pages)") in lines
    assert "attachments referenced by posts (noted, not downloaded): 1" in lines
    assert "comments placed at the top level: the comment they answer is not in the file: 1" \
        in lines


def test_a_second_import_changes_nothing(app, imported, run_import):
    before = table_counts()
    rows = [(c.id, c.status, c.parent_id, c.thread_id, c.body)
            for c in db.session.scalars(select(Comment).order_by(Comment.id))]
    versions = dict(db.session.execute(select(Article.id, Article.version)).all())
    again = run_import("wordpress", WXR)
    assert again.exit_code == 0, again.output
    assert table_counts() == before
    assert rows == [(c.id, c.status, c.parent_id, c.thread_id, c.body)
                    for c in db.session.scalars(select(Comment).order_by(Comment.id))]
    assert dict(db.session.execute(select(Article.id, Article.version)).all()) == versions
    lines = again.output.splitlines()
    assert ("articles: 0 created, 0 updated, 9 skipped (1 in WordPress's trash; "
            "8 unchanged since the last import)") in lines
    assert lines[2].startswith("comments: 0 created, 0 updated, 11 skipped (7 already imported;")


def test_a_changed_post_is_updated_and_new_comments_added(app, imported, run_import, tmp_path):
    changed = rewrite(tmp_path, WXR, (
        "<![CDATA[Harbour wall repaired before the winter storms]]>",
        "<![CDATA[Harbour wall repaired at last]]>",
    ), ("<wp:comment_id>509</wp:comment_id>", "<wp:comment_id>510</wp:comment_id>"))
    result = run_import("wordpress", changed)
    assert result.exit_code == 0, result.output
    assert "articles: 0 created, 1 updated," in result.output
    story = article("harbour-wall-repaired")  # the URL stays
    assert story.headline == "Harbour wall repaired at last"
    revision = db.session.scalars(select(ArticleRevision).where(
        ArticleRevision.article_id == story.id, ArticleRevision.action == "import update")).one()
    assert revision.changes == {"headline": ["Harbour wall repaired before the winter storms",
                                             "Harbour wall repaired at last"]}
    assert "comments: 1 created," in result.output  # comment 510 is new
    assert len(db.session.scalars(select(Comment).where(Comment.author_name == "Lone Reply"))
               .all()) == 2


def test_an_article_edited_here_is_left_alone(app, imported, run_import, make, tmp_path):
    story = article("harbour-wall-repaired")
    editor = make.user()
    db.session.add(ArticleRevision(article_id=story.id, user_id=editor.id, action="edited",
                                   changes={"headline": ["a", "b"]}))
    db.session.commit()
    changed = rewrite(tmp_path, WXR, ("<![CDATA[Harbour wall repaired before the winter storms]]>",
                                      "<![CDATA[Harbour wall repaired at last]]>"))
    result = run_import("wordpress", changed)
    assert "1 edited here since the last import" in result.output
    assert article("harbour-wall-repaired").headline.startswith("Harbour wall repaired before")


def test_what_was_deleted_here_stays_deleted(app, imported, run_import):
    db.session.delete(comment_by("Cheap Pills"))
    db.session.delete(article("allotments"))
    db.session.commit()
    result = run_import("wordpress", WXR)
    assert result.exit_code == 0
    assert "comments: 0 created" in result.output and "1 deleted here since the last import" \
        in result.output
    assert db.session.scalar(select(Article).where(Article.slug == "allotments")) is None
    assert db.session.scalar(select(Comment).where(Comment.author_name == "Cheap Pills")) is None
    assert db.session.scalar(select(ImportedItem).where(
        ImportedItem.key == "wordpress:valleyledger.example:post:105")).article_id is None


def test_a_wxr_1_1_export_is_read(app, run_import, tmp_path):
    old = rewrite(tmp_path, WXR, *[(f"http://wordpress.org/export/1.2/{part}",
                                    f"http://wordpress.org/export/1.1/{part}")
                                   for part in ("excerpt/", "\"")],
                  ("<wp:wxr_version>1.2", "<wp:wxr_version>1.1"))
    result = run_import("wordpress", old)
    assert result.exit_code == 0, result.output
    assert "articles: 8 created" in result.output
    assert article("harbour-wall-repaired").standfirst.startswith("The north wall is ready")


def test_a_post_listed_twice_is_imported_once(app, run_import, tmp_path):
    text = WXR.read_text(encoding="utf-8")
    first = text.index("\t<item>")
    item = text[first:text.index("</item>", first) + len("</item>")]
    twice = tmp_path / "twice.wxr"
    twice.write_text(text.replace("</channel>", item + "\n</channel>"), encoding="utf-8")
    result = run_import("wordpress", twice)
    assert result.exit_code == 0, result.output
    assert "1 listed twice in the file" in result.output
    assert table_counts()["articles"] == 8


def test_a_new_reply_to_a_comment_deleted_here_is_skipped(app, imported, run_import, tmp_path):
    db.session.delete(comment_by("Olaf Strand"))  # a leaf: nothing else goes with it
    db.session.commit()
    reply = rewrite(tmp_path, WXR, (
        "<wp:comment_id>509</wp:comment_id>", "<wp:comment_id>511</wp:comment_id>"), (
        "<wp:comment_parent>999</wp:comment_parent>", "<wp:comment_parent>503</wp:comment_parent>"))
    result = run_import("wordpress", reply)
    assert "1 replies to a comment deleted here" in result.output
    assert len(db.session.scalars(select(Comment).where(Comment.author_name == "Lone Reply"))
               .all()) == 1


def test_imported_approved_comments_get_their_fragments_and_counts(imported):
    comments = db.session.scalars(select(Comment)).all()
    for comment in comments:
        if comment.status is CommentStatus.APPROVED:
            assert comment.rendered_version == fragment_version()
            assert comment.author_name in comment.rendered_html
            assert comment.author_email not in comment.rendered_html
        else:
            assert comment.rendered_html is None
    greta = comment_by("Greta Lind")
    shown = [c for c in comments if c.article_id == greta.article_id
             and c.status is CommentStatus.APPROVED]
    assert db.session.get(Article, greta.article_id).shown_comments == len(shown)
