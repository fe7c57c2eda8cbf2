"""What both importers share: the guarded streaming parse, counts, source keys, old-URL
normalising, and the batched insert of comments with the app's threading rule."""
from __future__ import annotations

import hashlib
import ipaddress
import json
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator
from urllib.parse import parse_qs, unquote, urlsplit

from lxml import etree
from sqlalchemy import insert, select

from newsroom.comments.fragments import store_fragments
from newsroom.comments.policy import normalise_ip
from newsroom.comments.records import record_new_comments, thread_of
from newsroom.content.versions import bump_comments
from newsroom.extensions import db
from newsroom.models import Comment, CommentStatus, ImportedItem, utcnow
from newsroom.importing.tally import BadImportFile, Tally
from newsroom.sanitizing import clean_comment

#: Items written per round trip; bounds memory and statement size on both databases.
BATCH_SIZE = 500
#: Keys looked up per query (SQLite allows a few thousand bound parameters at most).
LOOKUP_CHUNK = 900
#: Statuses an imported comment may have with an empty body (it still holds replies).
HIDDEN = (CommentStatus.REJECTED, CommentStatus.SPAM)
#: Unmatched Disqus threads (or similar) named in the report before "and N more".
REPORT_EXAMPLES = 10


def records(path, *, depth: int, check_root: Callable[[Any], None]) -> Iterator[Any]:
    """Yield each element ``depth`` levels below the root once it is complete, then free it.

    The parser loads no DTD, resolves no entity and never touches the network; a file that
    declares a DTD at all is refused, since no WordPress or Disqus export has one.
    """
    level = 0
    try:
        source = open(path, "rb")
    except OSError as error:
        raise BadImportFile(f"cannot read the file: {error.strerror or error}") from None
    try:
        events = etree.iterparse(
            source, events=("start", "end"), load_dtd=False, no_network=True,
            resolve_entities=False, huge_tree=False, remove_comments=True, remove_pis=True,
        )
        for event, element in events:
            if event == "start":
                if level == 0:
                    if element.getroottree().docinfo.doctype:
                        raise BadImportFile("the file declares a DTD, which no export does")
                    check_root(element)
                level += 1
                continue
            level -= 1
            if level == depth:
                yield element
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
    except etree.XMLSyntaxError as error:
        raise BadImportFile(f"not well-formed XML: {str(error).splitlines()[0]}") from None
    except OSError as error:
        raise BadImportFile(f"cannot read the file: {error.strerror or error}") from None
    finally:
        source.close()


def digest(values: dict[str, Any]) -> str:
    """A stable hash of an item's mapped fields: equal digests mean nothing to update."""
    text = json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def chunked(items: list, size: int = LOOKUP_CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def known_items(keys: Iterable[str]) -> dict[str, Any]:
    """Rows (key, article_id, comment_id, digest, thread_id) for the keys imported before."""
    found = {}
    for chunk in chunked(sorted(set(keys))):
        rows = db.session.execute(
            select(ImportedItem.key, ImportedItem.article_id, ImportedItem.comment_id,
                   ImportedItem.digest, Comment.thread_id)
            .outerjoin(Comment, Comment.id == ImportedItem.comment_id)
            .where(ImportedItem.key.in_(chunk))
        )
        found.update((row.key, row) for row in rows)
    return found


def url_path(url: str) -> str | None:
    """How an old URL is looked up: its path without the trailing slash, or ``/?p=<id>``.

    ``https://ledger.example/2020/10/15/story/?utm=x`` → ``/2020/10/15/story``;
    ``https://ledger.example/?p=42`` → ``/?p=42``; a bare home page gives None.
    """
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    path = unquote(parts.path).rstrip("/")
    if path:
        return path
    post_id = parse_qs(parts.query).get("p", [""])[0]
    return f"/?p={int(post_id)}" if post_id.isdigit() else None


def comparable_url(url: str) -> str | None:
    """A link reduced so that scheme, ``www.``, case of host, trailing slash and query don't
    matter: ``http://WWW.Ledger.example/a/b/?x=1`` → ``ledger.example/a/b``."""
    path = url_path(url)
    try:
        host = (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:
        return None
    host = host.removeprefix("www.")
    if not host or path is None:
        return None
    return host + path


def clip(text: str | None, length: int) -> str:
    return (text or "").strip()[:length]


def web_address(url: str | None, length: int = 200) -> str:
    """An http(s) URL that fits the column, else empty."""
    url = (url or "").strip()
    if len(url) > length or not url.lower().startswith(("http://", "https://")):
        return ""
    return url


def ip_or_none(value: str | None) -> str | None:
    """A valid IP address in the app's spelling, else None."""
    try:
        ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None
    return normalise_ip(value or "")


@dataclass
class IncomingComment:
    """A comment read from an export, waiting for its parent to be written first."""

    key: str
    parent_key: str | None
    article_id: int
    #: Comment columns: status, author_name, author_email, author_website, body (the
    #: export's HTML until ``cleaned``), created_at, ip_address.
    values: dict[str, Any]
    #: Further source keys for the same comment (a WordPress comment synced from Disqus).
    also_keys: tuple[str, ...] = field(default_factory=tuple)
    cleaned: bool = False


class CommentWriter:
    """Writes imported comments in batches, parents before replies, skipping known keys."""

    def __init__(self, tally: Tally, source: str) -> None:
        self.tally = tally
        self.reason = f"imported from {source}"
        self.pending: list[IncomingComment] = []

    def add(self, comment: IncomingComment) -> None:
        self.pending.append(comment)

    def flush(self, *, final: bool) -> None:
        """Write what can be written; ``final``: a reply whose parent never came goes top-level.

        Not final, such replies wait for a later batch (their parent may be further on).
        """
        batch, self.pending = self._sanitised(self._unknown(self.pending)), []
        placed: dict[str, tuple[int, int | None]] = {}
        known = known_items(c.parent_key for c in batch if c.parent_key)
        for key, row in known.items():
            if row.comment_id is not None:
                placed[key] = (row.comment_id, row.thread_id)
        while batch:
            ready = [c for c in batch if c.parent_key is None or c.parent_key in placed]
            if not ready and not final:
                self.pending = batch
                return
            if not ready:  # parents missing from the file (or a loop): those go to the top
                waiting = {comment.key for comment in batch}
                orphans = [c for c in batch if c.parent_key not in waiting] or batch[:1]
                for comment in orphans:
                    comment.parent_key = None
                self.tally.note("comments placed at the top level: the comment they answer "
                                "is not in the file", len(orphans))
                continue
            self._insert(ready, placed)
            batch = [c for c in batch if c.key not in placed]

    def _unknown(self, batch: list[IncomingComment]) -> list[IncomingComment]:
        """The comments not imported before (nor twice in this batch); the rest are counted."""
        known = known_items(key for c in batch for key in (c.key, *c.also_keys, c.parent_key)
                            if key)
        fresh, seen = [], set()
        for comment in batch:
            rows = [known[key] for key in (comment.key, *comment.also_keys) if key in known]
            parent = known.get(comment.parent_key) if comment.parent_key else None
            if comment.key in seen:
                self.tally.skip("comments", "listed twice in the file")
            elif rows and any(row.comment_id for row in rows):
                self.tally.skip("comments", "already imported")
            elif rows:
                self.tally.skip("comments", "deleted here since the last import")
            elif parent is not None and parent.comment_id is None:
                self.tally.skip("comments", "replies to a comment deleted here")
            else:
                fresh.append(comment)
            seen.add(comment.key)
        return fresh

    def _sanitised(self, batch: list[IncomingComment]) -> list[IncomingComment]:
        """Bodies through the comment sanitiser; a visible comment left empty is skipped."""
        kept = []
        for comment in batch:
            if not comment.cleaned:
                comment.values["body"] = clean_comment(comment.values["body"])
                comment.cleaned = True
            if comment.values["body"] or comment.values["status"] in HIDDEN:
                kept.append(comment)
            else:
                self.tally.skip("comments", "empty")
        return kept

    def _insert(self, ready: list[IncomingComment], placed: dict) -> None:
        rows = []
        for comment in ready:
            parent = placed.get(comment.parent_key) if comment.parent_key else None
            rows.append({
                **comment.values,
                "article_id": comment.article_id,
                "parent_id": parent[0] if parent else None,
                "thread_id": thread_of(*parent) if parent else None,
                "held_reasons": [],
            })
        ids = db.session.scalars(
            insert(Comment).returning(Comment.id, sort_by_parameter_order=True), rows
        ).all()
        now = utcnow()
        keys, statuses = [], {}
        for comment, row, comment_id in zip(ready, rows, ids):
            placed[comment.key] = (comment_id, row["thread_id"])
            keys += [{"key": key, "comment_id": comment_id, "digest": "", "created_at": now,
                      "updated_at": now} for key in (comment.key, *comment.also_keys)]
            statuses[comment_id] = row["status"]
        db.session.execute(insert(ImportedItem), keys)
        record_new_comments(statuses, self.reason, now)
        # a bulk INSERT: no listener sees it, so the counters and fragments are written here
        bump_comments({row["article_id"] for row in rows})
        store_fragments(id_ for id_, status in statuses.items() if status == CommentStatus.APPROVED)
        self.tally.created["comments"] += len(ready)
