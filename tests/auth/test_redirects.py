"""The ``next`` redirect after sign-in never leaves this site."""
from __future__ import annotations

import pytest

from newsroom.auth.redirects import safe_next
from newsroom.extensions import db
from newsroom.models import Role

HOSTILE = [
    "//evil.example",
    "///evil.example",
    "https://evil.example/",
    "http://evil.example",
    "HTTPS://evil.example",
    "https:evil.example",
    "javascript:alert(1)",
    "data:text/html,hi",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "evil.example",
    "moderation/",
    "",
    "/" + "a" * 2100,
]

SAFE = ["/", "/moderation/", "/moderation/?status=spam&page=2", "/editor/articles/7#body",
        "/articles/a-story%2F"]


@pytest.mark.parametrize("target", HOSTILE)
def test_hostile_targets_are_refused(target):
    assert safe_next(target) is None


@pytest.mark.parametrize("target", SAFE)
def test_paths_on_this_site_are_kept(target):
    assert safe_next(target) == target


@pytest.mark.parametrize("target", HOSTILE)
def test_sign_in_with_a_hostile_next_goes_to_the_desk(make, sign_in, target):
    make.user(Role.MODERATOR, email="mod@newsroom.example")
    db.session.commit()

    response = sign_in("mod@newsroom.example", next=target)

    assert response.status_code == 302
    assert response.headers["Location"] == "/moderation/"


def test_sign_in_follows_a_safe_next(make, sign_in):
    make.user(Role.MODERATOR, email="mod@newsroom.example")
    db.session.commit()

    response = sign_in("mod@newsroom.example", next="/moderation/?status=spam")

    assert response.headers["Location"] == "/moderation/?status=spam"


def test_a_signed_in_visitor_to_login_is_not_sent_away(login_as, client):
    login_as(Role.EDITOR)

    response = client.get("/login?next=//evil.example/")

    assert response.headers["Location"] == "/editor/"
