"""Statements on the driver's cursor (newsroom/driver_sql.py) store and read values exactly as
SQLAlchemy's own execution path does, and fail as it fails."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import bindparam, exc, func, insert, select, text

from newsroom import driver_sql
from newsroom.driver_sql import DriverStatement
from newsroom.errors import is_unreachable
from newsroom.extensions import db
from newsroom.models import Article, Comment, CommentStatus

COMMENTS = Comment.__table__
WRITE = DriverStatement(insert(COMMENTS).returning(COMMENTS.c.id))
AT = datetime(2026, 11, 30, 17, 45, 12, 345678, tzinfo=timezone.utc)


def a_row(article_id: int, **fields) -> dict:
    return {"article_id": article_id, "parent_id": None, "thread_id": None,
            "status": CommentStatus.SPAM, "author_name": "Wren Tallis",
            "author_email": "wren@example.org", "author_website": "",
            "body": "<p>The ferry ran late.</p>", "created_at": AT,
            "ip_address": "192.0.2.4", "user_agent": "Firefox", "browser_key": None,
            "held_reasons": ["too-many-links", "blocklisted-word"], **fields}


def stored(comment_id: int) -> dict:
    """The comment's columns as the database holds them (no type processing), id left out."""
    row = db.session.execute(text("SELECT * FROM comments WHERE id = :id"),
                             {"id": comment_id}).mappings().one()
    return {name: value for name, value in row.items() if name != "id"}


def test_a_row_is_stored_exactly_as_sqlalchemy_stores_it(make):
    article = make.article()
    db.session.commit()
    connection = db.session.connection()
    [(on_the_cursor,)] = WRITE.rows(connection, a_row(article.id))
    through_sqlalchemy = connection.execute(
        insert(COMMENTS).returning(COMMENTS.c.id), a_row(article.id)).scalar_one()
    db.session.commit()
    assert stored(on_the_cursor) == stored(through_sqlalchemy)
    comment = db.session.get(Comment, on_the_cursor)
    assert (comment.status, comment.created_at, comment.held_reasons, comment.is_staff) == (
        CommentStatus.SPAM, AT, ["too-many-links", "blocklisted-word"], False)


def test_an_insert_fills_the_scalar_defaults_of_columns_not_given(make):
    article = make.article()
    db.session.commit()
    row = a_row(article.id)
    del row["author_website"]  # default ""
    [(comment_id,)] = WRITE.rows(db.session.connection(), row)
    db.session.commit()
    assert db.session.get(Comment, comment_id).author_website == ""


def test_a_computed_default_must_be_given(make):
    article = make.article()
    row = a_row(article.id)
    del row["created_at"]  # default utcnow: computed at each insert
    with pytest.raises(ValueError, match="created_at"):
        DriverStatement(insert(COMMENTS)).rows(db.session.connection(), row)


def test_rows_come_back_through_the_columns_result_processors(make):
    article = make.article(published=AT - timedelta(days=1), comments_enabled=True)
    db.session.commit()
    statement = DriverStatement(
        select(Article.id, Article.published_at, Article.comments_enabled)
        .where(Article.slug == bindparam("slug")))
    [row] = statement.rows(db.session.connection(), {"slug": article.slug})
    assert row == (article.id, AT - timedelta(days=1), True)
    assert isinstance(row[2], bool) and row[1].tzinfo is not None


def test_a_statements_own_literals_are_bound(make):
    article = make.article()
    make.comment(article, status=CommentStatus.APPROVED)
    make.comment(article, status=CommentStatus.PENDING)
    db.session.commit()
    approved = DriverStatement(select(func.count()).where(
        Comment.article_id == bindparam("article_id"),
        Comment.status == CommentStatus.APPROVED))
    assert approved.rows(db.session.connection(), {"article_id": article.id}) == [(1,)]


def test_an_expanding_parameter_is_refused(app):
    statement = DriverStatement(select(Comment.id).where(
        Comment.id.in_(bindparam("ids", expanding=True))))
    with pytest.raises(ValueError, match="expanding"):
        statement.rows(db.session.connection(), {"ids": [1, 2]})


def test_each_statement_is_signalled_with_its_text_and_parameters(make):
    article = make.article()
    db.session.commit()
    seen = []

    def record(sender, statement, parameters):
        seen.append((statement, parameters))

    with driver_sql.executed.connected_to(record):
        WRITE.rows(db.session.connection(), a_row(article.id))
    db.session.rollback()
    [(statement, parameters)] = seen
    assert statement.startswith("INSERT INTO comments")
    assert "wren@example.org" in (
        parameters.values() if isinstance(parameters, dict) else parameters)


def test_a_failure_is_sqlalchemys_error_with_the_parameters_hidden(app):
    with pytest.raises(exc.IntegrityError) as raised:  # no such article
        WRITE.rows(db.session.connection(), a_row(987654))
    db.session.rollback()
    assert "INSERT INTO comments" in str(raised.value)
    assert "wren@example.org" not in str(raised.value)
    assert isinstance(raised.value.orig, db.engine.dialect.loaded_dbapi.Error)


def test_a_locked_sqlite_database_is_reported_unreachable(make, tmp_path):
    """The error handlers answer 503 with Retry-After for it, as for SQLAlchemy's own path."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock")
    article = make.article()
    db.session.commit()
    with db.engine.connect() as writer:
        writer.exec_driver_sql("BEGIN IMMEDIATE")  # holds the write lock
        connection = db.session.connection()
        connection.exec_driver_sql("PRAGMA busy_timeout=50")
        try:
            with pytest.raises(exc.OperationalError) as raised:
                WRITE.rows(connection, a_row(article.id))
        finally:
            connection.exec_driver_sql("PRAGMA busy_timeout=5000")
            db.session.rollback()
            writer.exec_driver_sql("ROLLBACK")
    assert is_unreachable(raised.value)


def test_a_lost_postgresql_connection_is_invalidated(make):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL server ends the connection")
    article = make.article()
    db.session.commit()
    connection = db.session.connection()
    backend = connection.exec_driver_sql("SELECT pg_backend_pid()").scalar_one()
    with db.engine.connect() as other:
        other.exec_driver_sql(f"SELECT pg_terminate_backend({int(backend)})")
    with pytest.raises(exc.DBAPIError) as raised:
        WRITE.rows(connection, a_row(article.id))
    assert raised.value.connection_invalidated and connection.invalidated
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Article)) == 1  # a new connection
