"""A story's desk page lists its editors' picks and its newest approved comments to feature."""
from __future__ import annotations

import re
from datetime import timedelta

from newsroom.extensions import db
from newsroom.models import CommentStatus, Role, utcnow
from tests.moderation.helpers import decisions_for, fresh


def listed(html: str) -> list[tuple[str, str]]:
    """(author, button) for each comment in the page's picks section, in order."""
    section = html[html.index('id="desk-picks"'):html.index('id="history-heading"')]
    return re.findall(r"<strong>([^<]+)</strong>.*?<button[^>]*>(\w+)<", section, re.S)


def test_an_editor_features_from_the_storys_page_and_comes_back_to_it(client, login_as, make):
    article = make.article()
    start = utcnow() - timedelta(hours=1)
    older = make.comment(article, author_name="Older Ola", created_at=start)
    make.comment(article, author_name="Newer Nia", created_at=start + timedelta(minutes=1))
    make.comment(article, status=CommentStatus.PENDING, author_name="Held Hugo")
    db.session.commit()
    editor = login_as(Role.EDITOR, name="Mara Inkwell")
    page = client.get(f"/editor/articles/{article.id}").get_data(as_text=True)
    assert listed(page) == [("Newer Nia", "Feature"), ("Older Ola", "Feature")]
    assert "Held Hugo" not in page
    [next_url] = re.findall(rf'name="next" value="([^"]*#pickable-{older.id})"', page)
    response = client.post(f"/moderation/comments/{older.id}/feature", data={"next": next_url})
    assert response.status_code == 302
    assert response.location.endswith(f"/editor/articles/{article.id}#pickable-{older.id}")
    page = client.get(f"/editor/articles/{article.id}").get_data(as_text=True)
    assert "the comment by Older Ola is an editors&#39; pick" in page
    # the pick comes first, with the button that ends it
    assert listed(page) == [("Older Ola", "Unfeature"), ("Newer Nia", "Feature")]
    assert fresh(older.id).featured_by_id == editor.id
    assert [d.to_status for d in decisions_for(older.id)] == ["featured"]


def test_a_story_without_approved_comments_has_no_picks_section(client, login_as, make):
    article = make.article()
    make.comment(article, status=CommentStatus.PENDING)
    db.session.commit()
    login_as(Role.EDITOR)
    assert 'id="desk-picks"' not in client.get(f"/editor/articles/{article.id}").get_data(
        as_text=True)
