"""Hostile input at the boundary: control characters and odd numbers never reach the database.

These are the audit's probes (each gave PostgreSQL a DataError and the reader a 500); the same
run on SQLite and PostgreSQL. tests/test_routes_fuzz.py throws random input at every route.
"""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsroom.comments.intake import form_token
from newsroom.extensions import db
from newsroom.inputs import ascii_int, is_id, strip_controls
from newsroom.models import Comment, Role

HUGE = ["2147483648", "9" * 20, "9" * 30, "²", "٣", "-1", "+5", " 7", "1_000", "0x10", ""]


@pytest.fixture
def article(make):
    article = make.article()
    db.session.commit()
    return article


@pytest.mark.parametrize("value", HUGE)
def test_odd_numbers_are_not_numbers(value):
    assert ascii_int(value) is None or value.strip() == "7" and ascii_int(value) == 7
    assert not is_id(value) or value == " 7"


def test_plain_numbers_are():
    assert (ascii_int("42"), ascii_int("2147483647"), is_id("1"), is_id("0")) == (
        42, 2147483647, True, False)


def test_controls_are_stripped_but_line_breaks_and_tabs_kept():
    assert strip_controls("a\x00b\x01c\x0bd\x1fe\x7ff\tg\nh\ri") == "abcdef\tg\nh\ri"


@pytest.mark.parametrize(
    "path",
    ["/articles/%00", "/articles/tide%00gauge", "/sections/%01x", "/articles/x%0b/comments.xml",
     "/api/v1/articles/%00", "/sections/a%00/feed.xml"],
)
def test_a_control_character_in_a_path_is_a_404(client, path):
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/", "/sections/{section}", "/editor/", "/editor/outlets",
                                  "/moderation/", "/moderation/audit", "/moderation/bans"])
def test_odd_page_numbers_are_never_a_500(client, make, login_as, path):
    section = make.section()
    db.session.commit()
    login_as(Role.ADMIN)
    for page in ["9" * 20, "9" * 30, "2147483648", "²", "-3", "%00", "1%00"]:
        response = client.get(path.format(section=section.slug) + f"?page={page}&cpage={page}")
        assert response.status_code in (200, 400, 404), page


@pytest.mark.parametrize(
    "path", ["/moderation/comments/{}/reply", "/editor/articles/{}/edit", "/editor/outlets/{}"]
)
def test_odd_ids_in_a_path_are_a_404(client, login_as, path):
    login_as(Role.ADMIN)
    for value in ["2147483648", "9" * 30, "²", "1%00"]:
        assert client.get(path.format(value)).status_code == 404, value


@pytest.mark.parametrize("parent", ["²", "2147483648", "9" * 30, "1\x00", "٣"])
def test_an_odd_parent_id_is_a_form_error(client, article, parent):
    data = {"name": "Ada", "email": "ada@example.org", "body": "Hello.", "parent_id": parent,
            "form_token": form_token(article)}
    response = client.post(f"/articles/{article.slug}/comments", data=data)
    assert response.status_code == 400
    assert "The comment you replied to is not available." in response.get_data(as_text=True)
    assert db.session.query(Comment).count() == 0


def test_nul_and_controls_in_a_reply_are_stripped(client, article):
    data = {"name": "Ada\x00 Quill\x01", "email": "ada@example.org",
            "website": "https://a\x00.example",
            "body": "Line one\x00\r\nline\x0b two", "form_token": form_token(article)}
    assert client.post(f"/articles/{article.slug}/comments", data=data).status_code == 303
    comment = db.session.query(Comment).one()
    assert comment.author_name == "Ada Quill"
    assert comment.author_website == "https://a.example"
    assert "\x00" not in comment.body and "\x0b" not in comment.body


@pytest.mark.parametrize(
    "query",
    ["q=%00", "email=a%00@b.example", "ip=1.2.3.4%00", "article=%00", "article=²",
     "article=2147483648", "after=9999999999999999999999", "before=²", "per_page=%00"],
)
def test_desk_filters_with_nul_or_odd_numbers(client, login_as, query):
    login_as(Role.ADMIN)
    assert client.get(f"/moderation/?{query}").status_code in (200, 400, 404)
    assert client.get(f"/editor/?{query}&outlet=²&section=2147483648").status_code in (200, 400)
    assert client.get(f"/api/v1/articles?{query}").status_code in (200, 400)


def test_bulk_ids_that_are_not_ids_are_ignored(client, login_as):
    login_as(Role.ADMIN)
    data = {"ids": ["²", "2147483648", "9" * 30, "1\x00"], "action": "approve"}
    assert client.post("/moderation/comments/bulk", data=data).status_code < 500


@given(st.text())
def test_stripping_controls_takes_the_same_out_of_any_text(value):
    from newsroom.inputs import _CONTROLS

    assert strip_controls(value) == _CONTROLS.sub("", value)
