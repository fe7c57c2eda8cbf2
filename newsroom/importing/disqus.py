"""``import disqus``: a Disqus XML export's comments, attached to the articles whose original
or old WordPress URL is each thread's link."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import select

from newsroom.extensions import db
from newsroom.importing.common import (
    BATCH_SIZE, REPORT_EXAMPLES, BadImportFile, CommentWriter, IncomingComment, Tally, chunked,
    clip, comparable_url, ip_or_none, records, url_path,
)
from newsroom.models import Article, CommentStatus, LegacyRedirect, utcnow

DISQUS = "{http://disqus.com}"
DSQ_ID = "{http://disqus.com/disqus-internals}id"
KINDS = ("comments",)


@dataclass
class DisqusPost:
    post_id: str
    thread_id: str
    parent_id: str | None
    message: str
    created_at: datetime | None
    is_deleted: bool
    is_spam: bool
    name: str
    email: str
    username: str
    ip: str


def import_disqus(path: Path, tally: Tally) -> None:
    """Read the export at ``path`` into the session; the caller commits (or rolls back)."""
    DisqusImport(tally).run(path)


def _check_root(root: Any) -> None:
    if root.tag != DISQUS + "disqus":
        local = root.tag.rsplit("}", 1)[-1] if isinstance(root.tag, str) else "?"
        raise BadImportFile(f"not a Disqus export: the root element is <{local}>, not "
                            "<disqus xmlns=\"http://disqus.com\">")


class DisqusImport:
    """One run over one Disqus export, writing comments in batches."""

    def __init__(self, tally: Tally) -> None:
        self.tally = tally
        self.links: dict[str, str] = {}  #: thread id -> its link
        self.articles: dict[str, int | None] = {}  #: thread id -> article id, once looked up
        self.unmatched: dict[str, str] = {}  #: thread id -> link, threads with posts only
        self.originals: dict[str, int] | None = None
        self.posts: list[DisqusPost] = []
        self.waiting: list[DisqusPost] = []  #: posts read before their thread
        self.comments = CommentWriter(tally, "Disqus")

    def run(self, path: Path) -> None:
        for element in records(path, depth=1, check_root=_check_root):
            if element.tag == DISQUS + "thread":
                self.links[element.get(DSQ_ID, "")] = (element.findtext(DISQUS + "link") or "")
            elif element.tag == DISQUS + "post":
                self.posts.append(_post(element))
                if len(self.posts) >= BATCH_SIZE:
                    self._flush(final=False)
        self._flush(final=True)
        self._report_unmatched()

    def _flush(self, *, final: bool) -> None:
        posts, self.posts = self.posts, []
        if final:
            posts, self.waiting = self.waiting + posts, []
        else:  # a thread listed after its posts: they wait for it
            self.waiting += [post for post in posts if post.thread_id not in self.links]
            posts = [post for post in posts if post.thread_id in self.links]
        self._resolve({post.thread_id for post in posts if post.thread_id in self.links})
        for post in posts:
            article_id = self.articles.get(post.thread_id)
            if post.thread_id not in self.links:
                self.tally.skip("comments", "in a thread missing from the file")
            elif article_id is None:
                self.unmatched[post.thread_id] = self.links[post.thread_id]
                self.tally.skip("comments", "in a thread that matches no article")
            else:
                self.comments.add(self._incoming(post, article_id))
        self.comments.flush(final=final)

    def _resolve(self, thread_ids: set[str]) -> None:
        """Match threads to articles: by original URL first, then by old WordPress URL."""
        if self.originals is None:
            self.originals = {}
            rows = db.session.execute(select(Article.original_url, Article.id)
                                      .where(Article.original_url.is_not(None)))
            for url, article_id in rows:
                self.originals.setdefault(comparable_url(url) or url, article_id)
        paths = {}
        for thread_id in thread_ids - self.articles.keys():
            link = self.links[thread_id]
            self.articles[thread_id] = self.originals.get(comparable_url(link) or link)
            if self.articles[thread_id] is None and url_path(link):
                paths[thread_id] = url_path(link)
        redirects = {}
        for chunk in chunked(sorted(set(paths.values()))):
            redirects.update(db.session.execute(
                select(LegacyRedirect.path, LegacyRedirect.article_id)
                .where(LegacyRedirect.path.in_(chunk))).all())
        for thread_id, path in paths.items():
            self.articles[thread_id] = redirects.get(path)

    def _incoming(self, post: DisqusPost, article_id: int) -> IncomingComment:
        if post.is_spam:
            status = CommentStatus.SPAM
        elif post.is_deleted:
            status = CommentStatus.REJECTED
        else:
            status = CommentStatus.APPROVED
        email = post.email.strip().lower()
        return IncomingComment(
            key=f"disqus:{post.post_id}",
            parent_key=f"disqus:{post.parent_id}" if post.parent_id else None,
            article_id=article_id,
            values={
                "status": status,
                "author_name": clip(post.name or post.username, 80) or "Anonymous",
                "author_email": email if "@" in email and len(email) <= 254 else "",
                "author_website": "",
                "body": post.message,  # sanitised by the writer, once it is known new
                "created_at": post.created_at or utcnow(),
                "ip_address": ip_or_none(post.ip),
            },
        )

    def _report_unmatched(self) -> None:
        if not self.unmatched:
            return
        links = sorted(self.unmatched.values())
        shown = ", ".join(links[:REPORT_EXAMPLES])
        more = f" and {len(links) - REPORT_EXAMPLES} more" if len(links) > REPORT_EXAMPLES else ""
        self.tally.note("threads matching no article", len(links), shown + more)


def _post(element: Any) -> DisqusPost:
    """A ``<post>`` element as plain values."""
    author = element.find(DISQUS + "author")
    parent = element.find(DISQUS + "parent")
    thread = element.find(DISQUS + "thread")
    if not element.get(DSQ_ID) or thread is None or not thread.get(DSQ_ID):
        raise BadImportFile("a Disqus <post> without its dsq:id or its thread's dsq:id")

    def text(node: Any, name: str) -> str:
        return (node.findtext(DISQUS + name) or "").strip() if node is not None else ""

    return DisqusPost(
        post_id=element.get(DSQ_ID),
        thread_id=thread.get(DSQ_ID),
        parent_id=parent.get(DSQ_ID) if parent is not None and parent.get(DSQ_ID) else None,
        message=element.findtext(DISQUS + "message") or "",
        created_at=_iso_date(text(element, "createdAt")),
        is_deleted=text(element, "isDeleted").lower() == "true",
        is_spam=text(element, "isSpam").lower() == "true",
        name=text(author, "name"),
        email=text(author, "email"),
        username=text(author, "username"),
        ip=text(element, "ipAddress"),
    )


def _iso_date(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
