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
