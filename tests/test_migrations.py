"""Migrations: empty → head → base → head on SQLite and PostgreSQL, and models agree with them."""
from __future__ import annotations

import os

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from newsroom import create_app
from newsroom.extensions import db

SERVER = os.environ.get("NEWSROOM_TEST_POSTGRES_SERVER", "postgresql+psycopg://postgres@127.0.0.1:5432")


@pytest.fixture
def postgres_url():
    """A throw-away PostgreSQL database, or a skip saying why there is none."""
    name = f"newsroom_migrations_{os.getpid()}"
    try:
        admin = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name}"))
            connection.execute(text(f"CREATE DATABASE {name}"))
    except Exception as error:  # no server, no rights: say so and skip
        pytest.skip(f"PostgreSQL is not available at {SERVER}: {type(error).__name__}")
    yield f"{SERVER}/{name}"
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'migrations.db'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database(request):
    return request.getfixturevalue(f"{request.param}_url")


def _app(url):
    return create_app({"TESTING": True, "SECRET_KEY": "k", "SQLALCHEMY_DATABASE_URI": url})


def _tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_downgrade_upgrade(empty_database):
    app = _app(empty_database)
    with app.app_context():
        upgrade()
        assert _tables() == set(db.metadata.tables)
        downgrade(revision="base")
        assert _tables() == set()
        upgrade()
        assert _tables() == set(db.metadata.tables)
        db.engine.dispose()


def test_models_and_migrations_agree(empty_database):
    app = _app(empty_database)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert differences == []


def test_cli_upgrade_and_downgrade(sqlite_url):
    app = _app(sqlite_url)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert "articles" in _tables()
    result = runner.invoke(args=["db", "downgrade", "base"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert _tables() == set()
        db.engine.dispose()


#: The indexes kept only where their first column is set (newsroom/models/base.py sparse_index).
SPARSE = {"ix_comments_parent_id": "parent_id", "ix_comments_user_id": "user_id",
          "ix_comments_featured_by_id": "featured_by_id", "ix_comments_thread_shown": "thread_id",
          "ix_moderation_decisions_moderator_id": "moderator_id"}


def _index_definitions() -> dict[str, str]:
    if db.engine.dialect.name == "sqlite":
        query = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
    else:
        query = "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
    with db.engine.connect() as connection:
        return {name: " ".join(sql.split()) for name, sql in connection.execute(text(query))}


def test_the_sparse_indexes_are_partial_as_the_models_declare(empty_database):
    """compare_metadata does not compare an index's WHERE: read both definitions instead."""
    app = _app(empty_database)
    with app.app_context():
        upgrade()
        migrated = _index_definitions()
        downgrade(revision="85f395b1ecd2")
        before = _index_definitions()
        upgrade()
        db.engine.dispose()
    for name, column in SPARSE.items():
        assert f"WHERE ({column} IS NOT NULL)" in migrated[name].replace(
            f"WHERE {column} IS NOT NULL", f"WHERE ({column} IS NOT NULL)"), migrated[name]
        assert "WHERE" not in before[name]  # the downgrade restores the full index
        declared = next(index for table in db.metadata.tables.values()
                        for index in table.indexes if index.name == name)
        assert str(declared.dialect_options["sqlite"]["where"]) == f"{column} IS NOT NULL"
        assert str(declared.dialect_options["postgresql"]["where"]) == f"{column} IS NOT NULL"
    assert "ix_comments_thread_id" not in migrated and "ix_comments_thread_id" in before


def test_look_ups_by_an_optional_link_read_its_partial_index(sqlite_url):
    """An equality (a foreign-key action's look-up among them) implies NOT NULL: SQLite's
    planner takes the partial index."""
    app = _app(sqlite_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            for name, column in SPARSE.items():
                table = "moderation_decisions" if "decisions" in name else "comments"
                plan = " ".join(row[-1] for row in connection.exec_driver_sql(
                    f"EXPLAIN QUERY PLAN SELECT id FROM {table} WHERE {column} = 7"))
                assert f"USING INDEX {name}" in plan or f"COVERING INDEX {name}" in plan, plan
        db.engine.dispose()
