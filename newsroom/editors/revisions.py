"""Revisions compared word by word, and a revision's text restored as a new revision."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from markupsafe import Markup, escape

from newsroom.editors.services import ARTICLE_FIELDS, save_article, slug_owner
from newsroom.extensions import db
from newsroom.models import Article, ArticleRevision, Outlet, Section, User

#: A tag, or a word with the spaces before it: the tokens a body is compared in (so a run
#: of changed words reads as one change).
TOKENS = re.compile(r"<[^>]*>|\s*[^\s<]+|\s+")


@dataclass
class FieldDiff:
    """One field of two revisions: its name and the marked-up difference (escaped)."""

    name: str
    html: Markup
    changed: bool


def word_diff(old: str, new: str) -> Markup:
    """``new`` against ``old`` word by word: removed words in <del>, added in <ins>, escaped."""
    before, after = TOKENS.findall(old or ""), TOKENS.findall(new or "")
    parts = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            parts.append(escape("".join(before[a1:a2])))
            continue
        if a2 > a1:
            parts.append(Markup("<del>%s</del>") % "".join(before[a1:a2]))
        if b2 > b1:
            parts.append(Markup("<ins>%s</ins>") % "".join(after[b1:b2]))
    return Markup("").join(parts)


def compare(old: ArticleRevision, new: ArticleRevision) -> list[FieldDiff]:
    """Every field of two revisions' snapshots, changed ones marked up word by word."""
    diffs = []
    for name in ARTICLE_FIELDS:
        before, after = _text(old.snapshot, name), _text(new.snapshot, name)
        diffs.append(FieldDiff(name.removesuffix("_id"), word_diff(before, after), before != after))
    return diffs


def _text(snapshot: dict[str, Any] | None, name: str) -> str:
    value = (snapshot or {}).get(name)
    if name in ("section_id", "outlet_id") and value is not None:
        row = db.session.get(Section if name == "section_id" else Outlet, value)
        return row.name if row is not None else f"#{value} (deleted)"
    return "" if value is None else str(value)


def restore_revision(
    article: Article, revision: ArticleRevision, user: User, now: datetime
) -> ArticleRevision | None:
    """Put the revision's fields back on the story, recorded as a new "restored" revision.

    A section or outlet deleted since is left empty; a slug another story took since is kept
    as it is now. None when the story already reads like the revision.
    """
    data = dict(revision.snapshot or {})
    if data.get("section_id") is not None and db.session.get(Section, data["section_id"]) is None:
        data["section_id"] = None
    if data.get("outlet_id") is not None and db.session.get(Outlet, data["outlet_id"]) is None:
        data["outlet_id"] = None
    owner = slug_owner(data["slug"]) if data.get("slug") else None
    if owner is not None and owner != article.id:
        data["slug"] = article.slug
    if data.get("original_published_at"):
        data["original_published_at"] = datetime.fromisoformat(data["original_published_at"])
    saved = save_article(article, data, user, now)
    if saved is not None:
        saved.action = "restored"
        saved.changes = {"restored from": [None, revision.created_at.isoformat()], **saved.changes}
    return saved
