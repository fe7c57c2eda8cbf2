"""The one pagination helper: page numbers kept in range, capped counts, the request's rules."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.exceptions import NotFound

from newsroom.extensions import db
from newsroom.models import Section
from newsroom.pagination import Page, clamp, count, page_count, paginate, paginate_request


@pytest.mark.parametrize(
    ("total", "per_page", "pages"), [(0, 10, 1), (1, 10, 1), (10, 10, 1), (11, 10, 2), (95, 10, 10)]
)
def test_an_empty_list_still_has_its_one_page(total, per_page, pages):
    assert page_count(total, per_page) == pages


def test_a_page_past_the_end_shows_the_last_unless_the_count_was_capped():
    assert clamp(9, 10, 25) == 3
    assert clamp(0, 10, 25) == 1
    assert clamp(9, 10, 25, cap=20) == 9  # past the cap the last page is unknown


def test_a_capped_page_has_a_next_page_while_pages_come_full():
    full = Page(items=[1, 2], page=3, per_page=2, total=21, cap=20)
    assert full.capped and full.pages == 10 and full.has_next
    short = Page(items=[1], page=3, per_page=2, total=21, cap=20)
    assert not short.has_next
    exact = Page(items=[1, 2], page=3, per_page=2, total=6)
    assert not exact.capped and exact.pages == 3 and not exact.has_next and exact.has_prev


def _sections(make, number: int):
    for index in range(number):
        make.section(f"Section {index:02d}", position=index)
    db.session.commit()
    return select(Section).order_by(Section.position)


def test_paginate_counts_no_further_than_the_cap(app, make):
    query = _sections(make, 7)
    assert count(query) == 7
    assert count(query, cap=3) == 4
    page = paginate(query, 2, 3)
    assert [section.name for section in page.items] == ["Section 03", "Section 04", "Section 05"]
    assert page.total == 7 and page.pages == 3


@pytest.mark.parametrize("args", ["page=0", "page=x", "per_page=0", "page=4&per_page=3"])
def test_the_request_rules_refuse_a_bad_or_past_the_end_page(app, make, args):
    query = _sections(make, 7)
    with app.test_request_context(f"/?{args}"), pytest.raises(NotFound):
        paginate_request(query, 3)


def test_the_request_page_size_is_bounded(app, make):
    query = _sections(make, 7)
    with app.test_request_context("/?page=2&per_page=500"):
        page = paginate_request(query, 3, max_per_page=5)
    assert page.per_page == 5 and len(page.items) == 2 and page.total == 7
