"""Shared fixtures: an app on a migrated database, its client and CLI runner, query counting.

The suite runs on SQLite by default and on PostgreSQL when NEWSROOM_TEST_DATABASE_URL is set.
"""
from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from flask_migrate import upgrade
from jinja2 import BytecodeCache
from sqlalchemy import URL, create_engine, make_url, text

from newsroom import create_app
from newsroom.extensions import db
from tests import factories
from tests.helpers import recorded_statements, sign_in_session

SHARED = os.path.join(os.path.dirname(__file__), "..", "..", "shared")
#: This run's job queue: its own huey file (SQLite) or Redis key prefix, never a shared one.
JOBS_QUEUE = f"newsroom-test-{uuid.uuid4().hex[:12]}"
JOBS_FILE = os.path.join(tempfile.gettempdir(), f"{JOBS_QUEUE}.db")


class SharedTemplateCode(BytecodeCache):
    """Compiled templates kept for every app this run builds, in memory.

    Each app has its own Jinja environment, which would compile every template it renders
    again: a third of a page test's time. Jinja keys each entry by template name and checks
    the source's checksum, so an edited template is compiled afresh.
    """

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CODE = SharedTemplateCode()


def test_config(database_url: str, **overrides) -> dict:
    """The configuration every test app starts from."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "COMMENT_MIN_SECONDS": 0,
        "SITE_URL": "https://news.example",
        "PAGE_CACHE_CHECK_SECONDS": 0,  # the site's counters read for every request: exact counts
        "JOBS_QUEUE_NAME": JOBS_QUEUE,
        "JOBS_SQLITE_PATH": JOBS_FILE,
        # scrypt at a cost of 256 instead of 32768: under a millisecond a hash, not ~0.1 s
        # (production keeps the default: tests/test_config.py)
        "PASSWORD_HASH_METHOD": "scrypt:256:8:1",
        **overrides,
    }
    if not config["TESTING"]:  # a production app keeps the real cost (it refuses another)
        config["PASSWORD_HASH_METHOD"] = "scrypt"
    return config


@pytest.fixture(scope="session", autouse=True)
def _jobs_file():
    """Remove this run's huey file (and its WAL companions) at the end."""
    yield
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(JOBS_FILE + suffix):
            os.remove(JOBS_FILE + suffix)


def allow_private_fetches(app) -> None:
    """Let the app's server-side fetches reach a test server on 127.0.0.1, on any port.

    The default (public addresses on ports 80 and 443 only) is what tests/outbound/ proves.
    """
    app.config["SYNDICATION_ALLOW_PRIVATE_NETWORKS"] = True
    app.config["SYNDICATION_ALLOWED_PORTS"] = frozenset()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> Iterator[str]:
    """A database migrated to head once per run; each test empties it afterwards.

    On PostgreSQL a parallel run (pytest-xdist) gives each worker a database of its own, named
    after the given one (``<name>_gw0``, …), made here and dropped at the end.
    """
    url = os.environ.get("NEWSROOM_TEST_DATABASE_URL")
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url:
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'newsroom-test.db'}"
    elif worker and not url.startswith("sqlite"):
        with _worker_database(make_url(url), worker) as worker_url:
            yield _migrated(worker_url)
        return
    yield _migrated(url)


def _migrated(url: str) -> str:
    app = create_app(test_config(url))
    with app.app_context():
        _drop_everything()
        upgrade()
        db.engine.dispose()
    return url


@contextmanager
def _worker_database(given: URL, worker: str) -> Iterator[str]:
    """A fresh database beside ``given`` for this xdist worker, dropped when the run ends."""
    name = f"{given.database}_{worker}"
    admin = create_engine(given, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield given.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _drop_everything() -> None:
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


@pytest.fixture
def make_app(database_url):
    """Build an app with extra settings; its tables are emptied after the test."""
    apps = []

    def build(**overrides):
        app = create_app(test_config(database_url, **overrides))
        app.jinja_env.bytecode_cache = TEMPLATE_CODE
        apps.append(app)
        return app

    yield build
    for app in apps:
        with app.app_context():
            app.extensions["newsroom.jobs"].flush_if_built()
            db.session.remove()
            with db.engine.begin() as connection:
                for table in reversed(db.metadata.sorted_tables):
                    connection.execute(table.delete())
            db.engine.dispose()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(app):
    """Factory helpers bound to the test's database: ``make.article(...)``."""
    return factories


@pytest.fixture
def count_queries(app):
    """``with count_queries() as queries: …`` then ``len(queries)``."""

    def counting():
        return recorded_statements(texts=True)

    return counting


@pytest.fixture
def smtp():
    """A real SMTP server for the test; ``smtp.mailbox.messages`` is what it received."""
    from tests.mailbox import SMTPServer

    with SMTPServer() as server:
        yield server


@pytest.fixture
def mail_app(make_app, smtp):
    """An app that sends through the test's real SMTP server, its context pushed; a test
    folder that mails throughout makes it its ``app`` (``def app(mail_app): return mail_app``)."""
    app = make_app(**smtp.settings())
    with app.app_context():
        yield app


@pytest.fixture
def shared_corpora() -> str:
    path = os.path.abspath(os.path.join(SHARED, "corpora"))
    if not os.path.isdir(path):
        pytest.skip(f"../shared/corpora not found at {path}")
    return path


@pytest.fixture
def login_as(app, client):
    """``login_as(Role.MODERATOR)`` signs the test client in as a new user with that role."""

    def sign_in(role, **fields):
        user = factories.user(role, **fields)
        db.session.commit()
        sign_in_session(client, user.get_id())
        return user

    return sign_in
