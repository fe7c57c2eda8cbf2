"""The preview is the reader's article page for a story readers cannot see yet."""
from datetime import timedelta

from newsroom.extensions import db
from newsroom.models import Role, utcnow


def test_preview_of_a_draft_is_the_reader_page_with_a_banner(client, login_as, make):
    login_as(Role.EDITOR)
    outlet = make.outlet("Valley Ledger", credit_line="Shared with thanks")
    article = make.syndicated_article(
        outlet,
        headline="Orchard frost",
        published=False,
        standfirst="Fans at dawn",
        original_url="https://valley.example/orchard",
    )
    db.session.commit()
    response = client.get(f"/editor/articles/{article.id}/preview")
    assert response.status_code == 200
    html = response.text
    assert "This story is a draft: readers cannot see it." in html
    assert "<h1>Orchard frost</h1>" in html and "Fans at dawn" in html
    assert "Originally published in" in html and "Valley Ledger" in html
    assert '<link rel="canonical" href="https://valley.example/orchard">' in html
    assert '<meta name="robots" content="noindex">' in html
    assert client.get(f"/articles/{article.slug}").status_code == 404


def test_preview_of_a_scheduled_story_says_when(client, login_as, make):
    login_as(Role.EDITOR)
    when = utcnow() + timedelta(days=2)
    article = make.article("Later", published=when)
    db.session.commit()
    html = client.get(f"/editor/articles/{article.id}/preview").text
    assert "This story is scheduled for" in html and "readers cannot see it yet" in html
