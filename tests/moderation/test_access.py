"""Who may use each desk route: signed-out → login, editor → 403, moderator and admin → allowed."""
from __future__ import annotations

import pytest

from newsroom.extensions import db
from newsroom.models import Ban, BanKind, BlocklistEntry, BlocklistKind, CommentStatus, Role
from tests.moderation.helpers import fresh

#: (method, URL template, form data, what a moderator or admin gets)
ROUTES = [
    ("GET", "/moderation/", {}, 200),
    ("GET", "/moderation/?status=all", {}, 200),
    ("GET", "/moderation/?status=reported", {}, 200),
    ("GET", "/moderation/comments/{comment}/reply", {}, 200),
    ("GET", "/moderation/comments/{comment}/ban", {}, 200),
    ("GET", "/moderation/comments/{comment}/delete", {}, 200),
    ("GET", "/moderation/bans", {}, 200),
    ("GET", "/moderation/bans?show=past", {}, 200),
    ("GET", "/moderation/blocklist", {}, 200),
    ("GET", "/moderation/audit", {}, 200),
    ("POST", "/moderation/comments/{comment}/approve", {}, 302),
    ("POST", "/moderation/comments/{comment}/reject", {}, 302),
    ("POST", "/moderation/comments/{comment}/spam", {}, 302),
    ("POST", "/moderation/comments/{comment}/delete", {}, 302),
    ("POST", "/moderation/comments/{comment}/undo", {}, 302),
    ("POST", "/moderation/comments/{comment}/keep", {}, 302),
    ("POST", "/moderation/comments/bulk", {"ids": "{comment}", "action": "reject"}, 302),
    ("POST", "/moderation/comments/{comment}/reply", {"body": "Thanks for this."}, 302),
    ("POST", "/moderation/comments/{comment}/ban", {"kind": "email"}, 302),
    ("POST", "/moderation/bans/{ban}/lift", {}, 302),
    ("POST", "/moderation/blocklist", {"kind": "word", "value": "casino"}, 302),
    ("POST", "/moderation/blocklist/{entry}/remove", {}, 302),
]
ROLES = [(None, "login"), (Role.EDITOR, 403), (Role.MODERATOR, "ok"), (Role.ADMIN, "ok")]


@pytest.fixture
def desk(make):
    """One of each thing the desk's URLs point at."""
    comment = make.comment(make.article(), status=CommentStatus.PENDING)
    ban = Ban(kind=BanKind.IP, value="198.51.100.9")
    entry = BlocklistEntry(kind=BlocklistKind.DOMAIN, value="spam.example")
    db.session.add_all([ban, entry])
    db.session.commit()
    return {"comment": comment.id, "ban": ban.id, "entry": entry.id}


@pytest.mark.parametrize("role, expected", ROLES, ids=lambda v: getattr(v, "value", str(v)))
@pytest.mark.parametrize("method, url, data, allowed", ROUTES, ids=lambda v: str(v)[:40])
def test_access(client, login_as, desk, role, expected, method, url, data, allowed):
    if role is not None:
        login_as(role)
    data = {key: value.format(**desk) for key, value in data.items()}
    response = client.open(url.format(**desk), method=method, data=data)
    if expected == "login":
        assert response.status_code == 302
        assert response.location.startswith("/login")
    elif expected == 403:
        assert response.status_code == 403
    else:
        assert response.status_code == allowed
        if allowed == 302:
            assert response.location.startswith("/moderation/")


@pytest.mark.parametrize("role", [None, Role.EDITOR])
def test_refused_posts_change_nothing(client, login_as, desk, role):
    if role is not None:
        login_as(role)
    client.post(f"/moderation/comments/{desk['comment']}/approve")
    client.post(f"/moderation/comments/{desk['comment']}/delete")
    assert fresh(desk["comment"]).status is CommentStatus.PENDING


def test_unknown_action_is_404(client, moderator, desk):
    response = client.post(f"/moderation/comments/{desk['comment']}/publish")
    assert response.status_code == 404
    assert fresh(desk["comment"]).status is CommentStatus.PENDING


def test_missing_comment_is_404(client, moderator):
    assert client.post("/moderation/comments/999999/approve").status_code == 404
    assert client.get("/moderation/comments/999999/reply").status_code == 404


def test_the_table_covers_every_desk_route(app, desk):
    """A new desk route or method cannot slip in without a row in ROUTES."""
    adapter = app.url_map.bind("news.example")
    covered = set()
    for method, url, _data, _allowed in ROUTES:
        path = url.format(**desk).split("?")[0]
        endpoint, values = adapter.match(path, method=method)
        covered.add((endpoint, method, values.get("action")))
    expected = set()
    decisions = ["approve", "reject", "spam", "delete"]
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("moderation."):
            actions = decisions if "action" in rule.arguments else [None]
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                expected.update((rule.endpoint, method, action) for action in actions)
    assert covered == expected


def test_a_refused_page_says_which_role_it_needs(client, login_as):
    login_as(Role.EDITOR)
    response = client.get("/moderation/")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "This page is for moderators (and admins)." in page
    assert "You are signed in as an editor" in page
