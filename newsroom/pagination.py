"""One way to page through a list: a :class:`Page` of rows and the numbers around it.

Every list (reader pages, both desks, the API, an article's comment pages) is a ``Page``,
and every template shows it with the one ``pagination`` macro in ``_macros/pagination.html``.
"""
from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from flask import abort, request
from sqlalchemy import Select, func, literal, select

from newsroom.extensions import db
from newsroom.inputs import ascii_int


@dataclass
class Page:
    """One page of results; above ``cap`` the ``total`` was not counted further ("at least")."""

    items: list
    page: int
    per_page: int
    total: int
    cap: int | None = None

    @property
    def capped(self) -> bool:
        return self.cap is not None and self.total > self.cap

    @property
    def pages(self) -> int:
        counted = self.total if self.cap is None else min(self.total, self.cap)
        return page_count(counted, self.per_page)

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        if self.capped:  # the last page is unknown: there is more while pages come full
            return len(self.items) == self.per_page
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def page_count(total: int, per_page: int) -> int:
    """How many pages ``total`` rows fill; an empty list still has its one (empty) page."""
    return max(1, ceil(total / per_page))


def clamp(page: int, per_page: int, total: int, cap: int | None = None) -> int:
    """A page number within 1..last, so a list emptied meanwhile still shows something.

    Past a capped count the last page is unknown, so any page number is allowed.
    """
    page = max(page, 1)
    if cap is not None and total > cap:
        return page
    return min(page, page_count(total, per_page))


def count(query: Select, cap: int | None = None) -> int:
    """How many rows ``query`` gives, counting no further than ``cap + 1`` when given."""
    rows = query.order_by(None)
    if cap is not None:
        rows = select(literal(1)).select_from(rows.subquery()).limit(cap + 1)
    return db.session.scalar(select(func.count()).select_from(rows.subquery()))


def rows(query: Select, page: int, per_page: int) -> list:
    """The entities on page ``page`` of ``query``."""
    return list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique())


def paginate(
    query: Select,
    page: int,
    per_page: int,
    *,
    cap: int | None = None,
    keep_in_range: bool = True,
    total: int | None = None,
) -> Page:
    """Page ``page`` of ``query`` in two queries (count, rows); the count may be given.

    With ``keep_in_range`` a page past the end shows the last one (see :func:`clamp`).
    """
    if total is None:
        total = count(query, cap)
    if keep_in_range:
        page = clamp(page, per_page, total, cap)
    return Page(rows(query, page, per_page), page, per_page, total, cap)


def paginate_request(query: Select, per_page: int, max_per_page: int = 100) -> Page:
    """The page ``?page=`` (and ``?per_page=``, up to ``max_per_page``) asks for.

    As public lists always answered: a page number or size that is not a whole number of at
    least 1, or a page past the end, is a 404.
    """
    page = _request_number("page", 1)
    per_page = min(_request_number("per_page", per_page), max_per_page)
    items = rows(query, page, per_page)
    if not items and page != 1:
        abort(404)
    return Page(items, page, per_page, count(query))


def _request_number(name: str, default: int) -> int:
    """A whole number of at least 1 from the query string, in ASCII digits within the database's
    integer range (``?page=`` with 20 digits must not reach PostgreSQL); anything else: 404."""
    raw = request.args.get(name) or default  # empty (e.g. only a stripped NUL): the default
    number = ascii_int(raw, minimum=1)
    if number is None:
        abort(404)
    return number
