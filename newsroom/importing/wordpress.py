"""``import wordpress``: posts become articles, categories sections, comments stay threaded,
and every post's old URL redirects to its new page."""
from __future__ import annotations

from datetime import tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from sqlalchemy import insert, select

from newsroom.changes import assign
from newsroom.extensions import db
from newsroom.importing.common import (
    BATCH_SIZE, BadImportFile, CommentWriter, IncomingComment, Tally, chunked, clip, digest,
    ip_or_none, known_items, records, url_path, web_address,
)
from newsroom.importing.wpcontent import post_html
from newsroom.importing.wxr import ItemReader, WpComment, WpItem, wxr_namespace
from newsroom.models import (
    Article, ArticleRevision, CommentStatus, ImportedItem, LegacyRedirect, Section, SlugRedirect,
    utcnow,
)
from newsroom.sanitizing import clean_article
from newsroom.slugs import slugify, unique_slug

KINDS = ("articles", "sections", "comments", "old URLs", "other items")
#: WordPress statuses that are not a story to bring along.
LEFT_BEHIND = {"trash": "in WordPress's trash", "auto-draft": "auto-drafts",
               "inherit": "revisions"}
DRAFT_STATUSES = {"draft", "pending", "private"}
COMMENT_STATUS = {"1": CommentStatus.APPROVED, "0": CommentStatus.PENDING,
                  "spam": CommentStatus.SPAM, "trash": CommentStatus.REJECTED,
                  "post-trashed": CommentStatus.REJECTED}
OTHER_TYPES = {"page": "pages", "nav_menu_item": "menu items", "attachment": "attachments"}
# Bandit B105 judged safe: a note for editors, not a password.
PASSWORD_NOTE = "Password-protected in WordPress: kept as a draft, the password not imported."  # nosec B105
#: Category slugs that only mean "no category".
NO_SECTION = {"uncategorized"}


def import_wordpress(path: Path, tally: Tally, zone: tzinfo) -> None:
    """Read the export at ``path`` into the session; the caller commits (or rolls back)."""
    WordPressImport(tally, zone).run(path)


class WordPressImport:
    """One run over one WXR file, writing in batches of posts."""

    def __init__(self, tally: Tally, zone: tzinfo) -> None:
        self.tally = tally
        self.zone = zone
        self.reader: ItemReader | None = None
        self.site = ""
        self.authors: dict[str, str] = {}
        self.sections: dict[str, int] = {}  #: category slug -> section id
        self.posts: list[WpItem] = []
        self.seen: set[str] = set()  #: post ids read so far
        self.comments = CommentWriter(tally, "WordPress")

    def _root(self, root: Any) -> None:
        self.reader = ItemReader(wxr_namespace(root), self.zone)

    def run(self, path: Path) -> None:
        saw_channel_item = False
        for element in records(path, depth=2, check_root=self._root):
            saw_channel_item = True
            self._element(element)
            if len(self.posts) >= BATCH_SIZE:
                self._flush()
        if not saw_channel_item:
            raise BadImportFile("not a WordPress export: no <channel> with entries")
        self._flush()

    def _element(self, element: Any) -> None:
        reader, wp = self.reader, self.reader.wp
        if element.tag == wp + "base_site_url" or (element.tag == "link" and not self.site):
            self.site = _host(reader.site(element)) or self.site
        elif element.tag == wp + "author":
            login, name = reader.author(element)
            self.authors[login] = name
        elif element.tag == "item":
            if not self.site:
                raise BadImportFile("not a WordPress export: no site URL before the first item")
            self._item(reader.item(element))

    def _item(self, item: WpItem) -> None:
        if item.post_type != "post":
            self.tally.skip("other items", OTHER_TYPES.get(item.post_type, "other post types"))
            if item.post_type == "attachment" and item.parent_id not in ("", "0"):
                self.tally.note("attachments referenced by posts (noted, not downloaded)")
            if item.comments:
                self.tally.skip("comments", "on pages and other skipped items", len(item.comments))
        elif item.status in LEFT_BEHIND:
            self.tally.skip("articles", LEFT_BEHIND[item.status])
            self.tally.skip("comments", "on posts not imported", len(item.comments))
        elif not item.post_id.isdigit():
            self.tally.skip("articles", "posts without a post id")
        elif item.post_id in self.seen:
            self.tally.skip("articles", "listed twice in the file")
            self.tally.skip("comments", "on posts listed twice", len(item.comments))
        else:
            self.seen.add(item.post_id)
            self.posts.append(item)

    def key(self, item: WpItem) -> str:
        return f"wordpress:{self.site}:post:{item.post_id}"

    def _flush(self) -> None:
        posts, self.posts = self.posts, []
        if posts:
            known = known_items(self.key(post) for post in posts)
            digests = {post.post_id: self._digest(post) for post in posts}
            new = [p for p in posts if self.key(p) not in known]
            changed = [p for p in posts if self.key(p) in known
                       and known[self.key(p)].digest != digests[p.post_id]]
            self._ensure_sections(new + changed)  # an unchanged post is not even converted
            values = {post.post_id: self._article_values(post) for post in new + changed}
            created = self._create(new, values, digests)
            updated = self._update(changed, known, values, digests)
            self._skip_unchanged(posts, known, changed)
            self._redirect_old_urls(posts, {**created, **updated})
            targets = {**{p.post_id: known[self.key(p)].article_id for p in posts
                          if self.key(p) in known}, **created}
            for post in posts:
                if targets.get(post.post_id):
                    self._queue_comments(post, targets[post.post_id])
                else:
                    self.tally.skip("comments", "on posts deleted here", len(post.comments))
        self.comments.flush(final=True)  # a WordPress reply's parent is in the same item

    def _ensure_sections(self, posts: list[WpItem]) -> None:
        """The section for each category the posts are in, created when missing."""
        wanted = {}
        for post in posts:
            for nicename, name in post.categories[:1]:
                slug = slugify(unquote(nicename)) or slugify(name)
                if slug and slug not in NO_SECTION and slug not in self.sections:
                    wanted[slug] = clip(name, 80) or slug
        if not wanted:
            return
        found = db.session.execute(select(Section.slug, Section.name, Section.id).where(
            Section.slug.in_(wanted) | Section.name.in_(wanted.values())))
        for slug, name, section_id in found:
            for wanted_slug, wanted_name in list(wanted.items()):
                if wanted_slug == slug or wanted_name == name:
                    self.sections[wanted_slug] = section_id
                    del wanted[wanted_slug]
        names = set()
        for slug, name in wanted.items():
            name = name if name not in names else clip(f"{name} ({slug})", 80)
            names.add(name)
            section = Section(name=name, slug=slug[:80])
            db.session.add(section)
            db.session.flush()
            self.sections[slug] = section.id
            self.tally.created["sections"] += 1

    def _section_slug(self, post: WpItem) -> str | None:
        for nicename, name in post.categories[:1]:
            slug = slugify(unquote(nicename)) or slugify(name)
            return slug if slug in self.sections else None
        return None

    def _digest(self, post: WpItem) -> str:
        """A hash of what the export says about the post (its comments aside)."""
        return digest({
            "title": post.title, "name": post.name, "content": post.content,
            "excerpt": post.excerpt, "byline": self.authors.get(post.creator, post.creator),
            "date": post.date, "status": post.status, "password": bool(post.password),
            "comment_status": post.comment_status, "categories": post.categories[:1],
        })

    def _article_values(self, post: WpItem) -> dict[str, Any]:
        """What the article should say, as plain values."""
        published = post.status in ("publish", "future") and not post.password
        return {
            "headline": clip(post.title, 300) or f"Untitled post {post.post_id}",
            "standfirst": post.excerpt,
            "body": clean_article(post_html(post.content)),
            "byline": clip(self.authors.get(post.creator, post.creator), 200),
            "section": self._section_slug(post),
            "published_at": (post.date or utcnow()) if published else None,
            "comments_enabled": post.comment_status != "closed",
            "password_protected": bool(post.password),
        }

    def _create(self, posts: list[WpItem], values: dict, digests: dict) -> dict[str, int]:
        """New articles for posts never imported before; returns post id -> article id."""
        articles = []
        for post, slug in zip(posts, self._claim_slugs(posts)):
            fields = _article_fields(values[post.post_id], self.sections)
            articles.append(Article(slug=slug, created_at=post.date or utcnow(), **fields))
        db.session.add_all(articles)
        db.session.flush()
        now = utcnow()
        rows, revisions = [], []
        for post, article in zip(posts, articles):
            rows.append({"key": self.key(post), "article_id": article.id, "created_at": now,
                         "updated_at": now, "digest": digests[post.post_id]})
            revisions.append(_revision(article.id, "imported from WordPress", now,
                                       values[post.post_id]))
        if rows:
            db.session.execute(insert(ImportedItem), rows)
            db.session.execute(insert(ArticleRevision), revisions)
        self.tally.created["articles"] += len(articles)
        return {post.post_id: article.id for post, article in zip(posts, articles)}

    def _claim_slugs(self, posts: list[WpItem]) -> list[str]:
        """A free slug per post: its ``wp:post_name``, else its title, suffixed if taken."""
        wanted = [slugify(unquote(post.name)) or slugify(post.title) or "story" for post in posts]
        taken = set()
        for chunk in chunked(sorted(set(wanted))):
            taken.update(db.session.scalars(select(Article.slug).where(Article.slug.in_(chunk))))
            taken.update(db.session.scalars(
                select(SlugRedirect.old_slug).where(SlugRedirect.old_slug.in_(chunk))))
        slugs = []
        for slug in wanted:
            candidate, number = slug, 2
            if candidate in taken:
                candidate = unique_slug(slug)  # free in the database…
            while candidate in taken:  # …but given earlier in this batch
                candidate = unique_slug(f"{slug}-{number}")
                number += 1
            taken.add(candidate)
            slugs.append(candidate)
        return slugs

    def _update(self, posts: list[WpItem], known: dict, values: dict,
                digests: dict) -> dict[str, int]:
        """Bring changed posts up to date, unless an editor has worked on the article here."""
        ids = [known[self.key(p)].article_id for p in posts if known[self.key(p)].article_id]
        articles = {a.id: a for a in db.session.scalars(select(Article).where(Article.id.in_(ids)))}
        edited = set(db.session.scalars(select(ArticleRevision.article_id).where(
            ArticleRevision.article_id.in_(ids), ArticleRevision.user_id.is_not(None))))
        updated, now = {}, utcnow()
        for post in posts:
            row = known[self.key(post)]
            article = articles.get(row.article_id)
            if article is None:
                self.tally.skip("articles", "deleted here since the last import")
            elif article.id in edited:
                self.tally.skip("articles", "edited here since the last import")
            else:
                new = values[post.post_id]
                changes = assign(article, _article_fields(new, self.sections))
                db.session.add(ArticleRevision(article_id=article.id, action="import update",
                                               changes=changes, created_at=now))
                db.session.execute(ImportedItem.__table__.update().where(
                    ImportedItem.key == row.key).values(digest=digests[post.post_id],
                                                        updated_at=now))
                updated[post.post_id] = article.id
                self.tally.updated["articles"] += 1
        return updated

    def _skip_unchanged(self, posts: list[WpItem], known: dict, changed: list[WpItem]) -> None:
        changed_ids = {post.post_id for post in changed}
        for post in posts:
            row = known.get(self.key(post))
            if row is not None and post.post_id not in changed_ids:
                reason = ("unchanged since the last import" if row.article_id
                          else "deleted here since the last import")
                self.tally.skip("articles", reason)

    def _redirect_old_urls(self, posts: list[WpItem], targets: dict[str, int]) -> None:
        """``<link>``'s path and ``/?p=<id>`` of each new or updated post answer a 301."""
        wanted: dict[str, int] = {}
        for post in posts:
            if post.post_id in targets:
                for path in {url_path(post.link), f"/?p={int(post.post_id)}"}:
                    if path and len(path) <= 1000 and path not in wanted:
                        wanted[path] = targets[post.post_id]
        existing = {}
        for chunk in chunked(list(wanted)):
            existing.update(db.session.execute(
                select(LegacyRedirect.path, LegacyRedirect.article_id)
                .where(LegacyRedirect.path.in_(chunk))).all())
        rows = []
        for path, article_id in wanted.items():
            if path not in existing:
                rows.append({"path": path, "article_id": article_id, "created_at": utcnow()})
            elif existing[path] != article_id:
                self.tally.skip("old URLs", "already redirecting to another article")
        if rows:
            db.session.execute(insert(LegacyRedirect), rows)
        self.tally.created["old URLs"] += len(rows)

    def _queue_comments(self, post: WpItem, article_id: int) -> None:
        for comment in post.comments:
            incoming = self._incoming(comment, article_id)
            if incoming is not None:
                self.comments.add(incoming)

    def _incoming(self, comment: WpComment, article_id: int) -> IncomingComment | None:
        if comment.kind in ("pingback", "trackback"):
            self.tally.skip("comments", "pingbacks and trackbacks")
            return None
        status = COMMENT_STATUS.get(comment.approved, CommentStatus.PENDING)
        prefix = f"wordpress:{self.site}:comment:"
        return IncomingComment(
            key=prefix + comment.comment_id,
            parent_key=prefix + comment.parent_id if comment.parent_id else None,
            article_id=article_id,
            values={
                "status": status,
                "author_name": clip(comment.author, 80) or "Anonymous",
                "author_email": _email(comment.email),
                "author_website": web_address(comment.url),
                "body": comment.content,  # sanitised by the writer, once it is known new
                "created_at": comment.date or utcnow(),
                "ip_address": ip_or_none(comment.ip),
            },
            also_keys=(f"disqus:{comment.disqus_id}",) if comment.disqus_id else (),
        )


def _article_fields(values: dict[str, Any], sections: dict[str, int]) -> dict[str, Any]:
    fields = {k: v for k, v in values.items() if k not in ("section", "password_protected")}
    fields["section_id"] = sections.get(values["section"]) if values["section"] else None
    return fields


def _revision(article_id: int, action: str, now, values: dict[str, Any]) -> dict[str, Any]:
    changes = {"note": [None, PASSWORD_NOTE]} if values["password_protected"] else {}
    if values["password_protected"]:
        action = "imported: password-protected"
    return {"article_id": article_id, "action": action, "changes": changes, "created_at": now}


def _email(value: str) -> str:
    value = value.strip().lower()
    return value if "@" in value and len(value) <= 254 else ""


def _host(url: str) -> str:
    try:
        return (urlsplit(url.strip()).hostname or "").lower().removeprefix("www.")
    except ValueError:
        return ""
