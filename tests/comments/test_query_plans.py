"""A reply POST's look-ups read index ranges, not every comment of the article (SQLite plans).

Without them the duplicate check took the article's index and read each of its comments, and
the landing page's count read every approved comment's row: a POST on a story with 10,000
comments cost several times one on a story with 100. Timers stay out of tests; the plans say it.
"""
from __future__ import annotations

import pytest
from newsroom.extensions import db
from tests.helpers import recorded_statements


@pytest.fixture
def plans(posted_plans):
    """The query plans of a new top-level comment's POST."""
    return posted_plans()


@pytest.fixture
def posted_plans(app, make, reply):
    """A function posting a comment (with ``fields``) that returns the SQLite query plan of
    every SELECT the POST ran, as one text per statement."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("query plans are read from SQLite's EXPLAIN QUERY PLAN")
    article = make.article()
    threads = [make.comment(article, parent=None, author_email=f"reader{n}@example.net")
               for n in range(30)]
    db.session.commit()
    return lambda **fields: _plans(reply, article, threads, fields)


def _plans(reply, article, threads, fields) -> list[str]:
    if fields.pop("to_thread", None) is not None:
        fields["parent_id"] = str(threads[12].id)
    with recorded_statements() as statements:
        assert reply(article, **fields).status_code == 303
    selects = [(sql, params) for sql, params in statements if sql.lstrip().startswith("SELECT")]
    with db.engine.connect() as connection:
        raw = connection.connection.dbapi_connection
        return ["\n".join(row[-1] for row in raw.execute("EXPLAIN QUERY PLAN " + sql, params))
                for sql, params in selects]


def test_the_duplicate_check_reads_this_email_on_this_article_only(plans):
    (facts,) = [plan for plan in plans if "trusted_commenters" in plan]
    assert ("SEARCH comments USING INDEX ix_comments_email_article_created "
            "(author_email=? AND article_id=? AND created_at>?)") in facts


def test_a_new_threads_landing_page_needs_no_count(plans):
    """The article's row carries its count of shown threads: no statement counts comments."""
    assert not any("ix_comments_article_roots" in plan for plan in plans), plans
    assert not any("SCAN comments" in plan for plan in plans), plans


def test_a_replys_landing_page_is_counted_from_the_index_alone(posted_plans):
    plans = posted_plans(to_thread=True)
    (count,) = [plan for plan in plans if "ix_comments_article_roots" in plan]
    assert "USING COVERING INDEX ix_comments_article_roots" in count
    assert not any("SCAN comments" in plan for plan in plans), plans
