"""Declarative base, shared column types and the constraint naming convention."""
from __future__ import annotations

import enum
from datetime import datetime, timezone

from sqlalchemy import DateTime, Enum, Index, MetaData, column
from sqlalchemy.orm import DeclarativeBase
from sqlalchemy.types import TypeDecorator

#: Constraint names that Alembic renders identically on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def sparse_index(name: str, *columns: str) -> Index:
    """An index of the rows whose first of ``columns`` is set: for an optional link (a reply's
    parent, a staff author) that is NULL on most rows. A full index would be written on every
    insert for entries no query reads; an equality or ``IN`` on the column implies it is not
    NULL, so SQLite's and PostgreSQL's planners take this one for it (foreign-key actions too).
    """
    present = column(columns[0]).is_not(None)
    return Index(name, *columns, sqlite_where=present, postgresql_where=present)


class Base(DeclarativeBase):
    """Base class of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC; used as a column default."""
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always read back timezone-aware.

    PostgreSQL keeps the zone itself; SQLite keeps naive UTC, made aware on the way out.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def str_enum(enum_class: type[enum.Enum], name: str) -> Enum:
    """A portable enum column storing the members' lowercase values as VARCHAR."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        length=16,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )
