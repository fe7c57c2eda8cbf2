"""The reply policy's one look-up (newsroom/comments/policy.py): the commenter's history,
blocklist hits and active bans, as one statement built once per database dialect."""
from __future__ import annotations

from functools import lru_cache

from sqlalchemy import (
    JSON, String, and_, bindparam, exists, func, literal_column, or_, select, union_all,
)

from newsroom.driver_sql import DriverStatement
from newsroom.models import Ban, BanKind, BlocklistEntry, BlocklistKind, Comment, TrustedCommenter


@lru_cache(maxsize=4)
def facts_query(dialect: str) -> DriverStatement:
    """Rows of (source, kind, value), one per fact that holds: a single round trip.

    Built once per database dialect with bound parameters, and run on the driver's cursor
    (newsroom/driver_sql.py); building it per request would cost more than running it. The
    lists (the phrases, the domains) are each one JSON parameter the database unpacks
    (:func:`_listed`), so the statement's text is the same for every comment: SQLite prepares
    it once per connection and PostgreSQL plans it once, where an expanding ``IN`` gave a new
    text for every count of phrases.
    """
    email, ip = bindparam("email"), bindparam("ip")
    mine = Comment.author_email == email
    # Trust is a proved (email, browser) pair, never an address alone: anyone can type one.
    returning = exists().where(
        TrustedCommenter.email == email,
        TrustedCommenter.browser_key == bindparam("browser_key"),
    )
    duplicate = exists().where(
        mine,
        Comment.article_id == bindparam("article_id"),
        Comment.created_at >= bindparam("since"),
        Comment.body == bindparam("body"),
    )
    entry, kind = func.lower(BlocklistEntry.value), BlocklistEntry.kind
    blocklisted = or_(
        and_(kind == BlocklistKind.EMAIL, entry == email),
        and_(kind == BlocklistKind.IP, entry == ip),
        and_(kind == BlocklistKind.DOMAIN, entry.in_(_listed("any_domains", dialect))),
        and_(kind == BlocklistKind.WORD, entry.in_(_listed("phrases", dialect))),
    )
    banned = and_(
        Ban.lifted_at.is_(None),
        or_(Ban.expires_at.is_(None), Ban.expires_at > bindparam("now")),
        or_(
            and_(Ban.kind == BanKind.EMAIL, Ban.value == email),
            and_(Ban.kind == BanKind.IP, Ban.value == ip),
            and_(
                Ban.kind == BanKind.DOMAIN,
                Ban.value.in_(_listed("email_domains", dialect)),
            ),
        ),
    )
    return DriverStatement(union_all(
        _flag("returning", returning),
        _flag("duplicate", duplicate),
        select(_tag("blocklist"), BlocklistEntry.kind, BlocklistEntry.value).where(blocklisted),
        select(_tag("ban"), Ban.kind, Ban.value).where(banned),
    ))


def _listed(name: str, dialect: str):
    """The list parameter ``name`` for an ``IN``: one JSON array, unpacked into rows by SQLite's
    ``json_each`` or PostgreSQL's ``json_array_elements_text``; an expanding parameter on any
    other database."""
    values = bindparam(name, type_=JSON)
    if dialect == "sqlite":
        rows = func.json_each(values)
    elif dialect == "postgresql":
        rows = func.json_array_elements_text(values)
    else:
        return bindparam(name, expanding=True)
    return select(rows.table_valued("value").c.value)


def _tag(name: str):
    return literal_column(f"'{name}'", String)


def _flag(name: str, condition):
    """A row (name, '', '') when ``condition`` holds, no row otherwise."""
    blank = literal_column("''", String)
    return select(_tag(name), blank, blank).where(condition)

