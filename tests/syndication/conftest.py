"""Syndication fixtures: our own feed files, an outlet, and a feed server on 127.0.0.1."""
from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from newsroom.extensions import db
from newsroom.models import Article
from tests.conftest import allow_private_fetches
from tests.feed_server import FeedServer

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "feeds"


def fixture_path(name: str) -> str:
    """The path of one of our own feed files in tests/fixtures/feeds/."""
    return str(FIXTURES / name)


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def article_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Article))


@pytest.fixture
def valley(make):
    """The outlet our RSS 2.0 fixture belongs to."""
    return make.outlet("Valley Ledger", homepage_url="https://valley-ledger.example/")


@pytest.fixture
def feed_server(app):
    """A feed server on 127.0.0.1 whose answers the test sets path by path."""
    allow_private_fetches(app)
    with FeedServer() as server:
        yield server
