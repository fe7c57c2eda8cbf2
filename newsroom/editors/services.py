"""State changes made at the desk; each records a revision and none commits (the view does)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from newsroom.changes import jsonable
from newsroom.extensions import db
from newsroom.media.library import figure_html, images_in
from newsroom.models import (
    Article,
    ArticleRevision,
    Image,
    Outlet,
    Section,
    SlugRedirect,
    User,
)
from newsroom.dates import show_date
from newsroom.sanitizing import clean_article
from newsroom.slugs import unique_slug

#: The story fields the edit form sets, in the order a revision lists them.
ARTICLE_FIELDS = (
    "headline",
    "slug",
    "standfirst",
    "body",
    "section_id",
    "byline",
    "image_id",
    "image_alt",
    "image_url",
    "image_caption",
    "image_credit",
    "comments_enabled",
    "outlet_id",
    "original_url",
    "original_author",
    "original_published_at",
)
#: Text longer than this is shown in a revision as an excerpt around the first difference.
EXCERPT_LENGTH = 240


class PublishRefused(ValueError):
    """A story that may not be published yet; ``field`` names the form field to fix."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


def publish_problem(
    outlet_id: int | None, original_url: str | None, from_feed: bool = False
) -> PublishRefused | None:
    """Why a story with this attribution cannot be published, or None.

    ``from_feed``: the story came in from an outlet's feed, so it is syndicated whatever the
    form says and keeps its credit.
    """
    if from_feed and outlet_id is None and not original_url:
        return PublishRefused(
            "This story came from an outlet's feed: it needs its outlet and original URL.",
            "outlet_id",
        )
    if outlet_id is not None and not original_url:
        return PublishRefused(
            "A story from an outlet needs the original story's URL before it can be published.",
            "original_url",
        )
    if original_url and outlet_id is None:
        return PublishRefused("An original URL needs the outlet it was published in.", "outlet_id")
    return None


def slug_owner(slug: str) -> int | None:
    """The id of the story using ``slug`` now or formerly (as a redirect), if any."""
    owner = db.session.scalar(select(Article.id).where(Article.slug == slug))
    if owner is None:
        owner = db.session.scalar(
            select(SlugRedirect.article_id).where(SlugRedirect.old_slug == slug)
        )
    return owner


def save_article(
    article: Article, data: dict[str, Any], user: User, now: datetime
) -> ArticleRevision | None:
    """Apply the edit form's ``data`` to ``article`` (new or not); None when nothing changed.

    :raises PublishRefused: the story is published or scheduled and would lose its credit.
    """
    creating = article.id is None
    if article.published_at is not None:  # a public (or scheduled) story keeps its credit
        problem = publish_problem(
            data.get("outlet_id"), data.get("original_url"), article.feed_guid is not None
        )
        if problem is not None:
            raise problem
    before = {} if creating else snapshot(article)
    data = dict(data)
    data["body"] = clean_article(data.get("body") or "", base_url=data.get("original_url") or None)
    data["slug"] = data.get("slug") or unique_slug(data["headline"], exclude_id=article.id)
    data["original_published_at"] = _same_minute(
        article.original_published_at, data.get("original_published_at")
    )
    if not creating and data["slug"] != article.slug:
        _move_slug(article, data["slug"], now)
    for name in ARTICLE_FIELDS:
        setattr(article, name, data.get(name))
    with db.session.no_autoflush:
        article.body_images = images_in(article.body)
    changes = diff(before, snapshot(article))
    if not changes:
        return None
    if article.feed_guid is not None and not creating:
        article.edited_by_staff = True
    if creating:
        db.session.add(article)
    return record(article, user, "created" if creating else "edited", changes)


def _same_minute(stored: datetime | None, typed: datetime | None) -> datetime | None:
    """The stored time when the form shows it unchanged (datetime-local drops the seconds)."""
    if stored is not None and typed == stored.replace(second=0, microsecond=0):
        return stored
    return typed


def _move_slug(article: Article, new_slug: str, now: datetime) -> None:
    """Keep a published story's old URL working; a slug taken back stops redirecting."""
    db.session.execute(
        delete(SlugRedirect).where(
            SlugRedirect.article_id == article.id, SlugRedirect.old_slug == new_slug
        )
    )
    if article.is_published(now):
        db.session.add(SlugRedirect(old_slug=article.slug, article_id=article.id))


def place_image(
    article: Article, image: Image, use: str, user: User, now: datetime
) -> ArticleRevision | None:
    """Make ``image`` the story's lead image (with its descriptions) or add it to the body."""
    data = {name: getattr(article, name) for name in ARTICLE_FIELDS}
    if use == "lead":
        data.update(image_id=image.id, image_alt=image.alt, image_url=None)
        data.update(image_caption=image.caption[:500], image_credit=image.credit)
    else:
        data["body"] = (data["body"] or "") + "\n" + str(figure_html(image))
    return save_article(article, data, user, now)


def publish_now(article: Article, user: User, now: datetime) -> ArticleRevision:
    """Make the story public at once (a scheduled story goes out early)."""
    _check_publishable(article, now)
    article.withdrawn_notice = False
    return _set_published_at(article, now, user, "published")


def schedule(article: Article, when: datetime, user: User) -> ArticleRevision:
    """Publish the story at ``when``; readers see it once that time has passed."""
    _check_publishable(article, when)
    article.withdrawn_notice = False
    return _set_published_at(article, when, user, "scheduled")


def unpublish(article: Article, user: User) -> ArticleRevision:
    """Take the story back to a draft; its page answers 404 again."""
    return _set_published_at(article, None, user, "unpublished")


def _check_publishable(article: Article, when: datetime) -> None:
    problem = publish_problem(
        article.outlet_id, article.original_url, article.feed_guid is not None
    ) or embargo_problem(article.embargo_until, when) or _expired_problem(article, when)
    if problem is not None:
        raise problem


def _expired_problem(article: Article, when: datetime) -> PublishRefused | None:
    if article.expires_at is None or when < article.expires_at:
        return None
    return PublishRefused(
        f"The right to republish this story ends on {show_date(article.expires_at)}: it cannot "
        "be published from then on. Change its rights first if the agreement was renewed.",
        "publish_at",
    )


def embargo_problem(embargo_until: datetime | None, when: datetime | None) -> PublishRefused | None:
    """Why a story under embargo until ``embargo_until`` cannot go out at ``when``, or None."""
    if embargo_until is None or when is None or when >= embargo_until:
        return None
    return PublishRefused(
        f"This story is under embargo until {show_date(embargo_until)}: it cannot be "
        "published before then. Schedule it for that time or later.",
        "publish_at",
    )


def _set_published_at(article, when, user, action) -> ArticleRevision:
    old = article.published_at
    article.published_at = when
    if article.feed_guid is not None:
        article.edited_by_staff = True  # ingest leaves a story an editor (un)published alone
    return record(article, user, action, {"published_at": [jsonable(old), jsonable(when)]})


def record(article: Article, user: User | None, action: str, changes: dict) -> ArticleRevision:
    """Add a revision: who, what happened, ``{field: [old, new]}`` and the fields in full."""
    revision = ArticleRevision(
        article=article, user=user, action=action, changes=changes, snapshot=stored_fields(article)
    )
    db.session.add(revision)
    return revision


def stored_fields(article: Article) -> dict[str, Any]:
    """The edit form's fields as stored (ids, ISO dates): what a revision keeps in full."""
    return {name: jsonable(getattr(article, name)) for name in ARTICLE_FIELDS}


def snapshot(article: Article) -> dict[str, Any]:
    """The edit form's fields as plain values; section and outlet by name."""
    values = {name: getattr(article, name) for name in ARTICLE_FIELDS}
    values["section_id"] = _name(Section, values["section_id"])
    values["outlet_id"] = _name(Outlet, values["outlet_id"])
    values["image_id"] = _name(Image, values["image_id"])
    return values


def _name(model, id_: int | None) -> str | None:
    obj = db.session.get(model, id_) if id_ is not None else None
    return obj.name if obj is not None else None


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list]:
    """``{field: [old, new]}`` for changed fields; long text cut to an excerpt of the change."""
    changes = {}
    for name, new in after.items():
        old = before.get(name)
        if _same(old, new):
            continue
        label = name.removesuffix("_id")
        if _long(old) or _long(new):
            changes[label] = list(excerpts(old or "", new or ""))
        else:
            changes[label] = [jsonable(old), jsonable(new)]
    return changes


def _long(value) -> bool:
    return isinstance(value, str) and len(value) > EXCERPT_LENGTH


def _same(old, new) -> bool:
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new
    return (old or None) == (new or None)  # "" and None both mean "not given"


def excerpts(old: str, new: str, length: int = EXCERPT_LENGTH) -> tuple[str, str]:
    """The stretch of each text from just before the first difference."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    start = max(0, start - 40)
    return _cut(old, start, length), _cut(new, start, length)


def _cut(text: str, start: int, length: int) -> str:
    piece = text[start : start + length]
    prefix = "…" if start > 0 else ""
    suffix = f"… ({len(text):,} characters)" if start + length < len(text) else ""
    return prefix + piece + suffix
