"""Sections at the desk: list, create, edit, and delete only when empty."""
import pytest
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import Role, Section


@pytest.fixture
def editor(login_as):
    return login_as(Role.EDITOR)


def test_sections_are_listed_in_navigation_order_with_story_counts(client, editor, make):
    later = make.section("Culture", position=3)
    first = make.section("News", position=1)
    make.article(section=first)
    make.article(section=first, published=False)
    db.session.commit()
    html = client.get("/editor/sections").text
    assert html.index("News") < html.index("Culture")
    assert f'section={first.id}">2</a>' in html and f'section={later.id}">0</a>' in html


def test_create_a_section_with_a_slug_made_from_its_name(client, editor):
    response = client.post(
        "/editor/sections/new",
        data={"name": "Harbour & Shore", "description": "Tides", "position": "4"},
    )
    assert response.status_code == 302
    section = db.session.scalars(select(Section)).one()
    assert (section.slug, section.description, section.position) == ("harbour-shore", "Tides", 4)
    assert client.get("/sections/harbour-shore").status_code == 200


def test_section_names_and_slugs_are_unique_and_errors_keep_typed_input(client, editor, make):
    make.section("News", slug="news")
    db.session.commit()
    response = client.post(
        "/editor/sections/new", data={"name": "News", "slug": "news", "description": "Typed here"}
    )
    assert response.status_code == 400
    assert "Another section has this name." in response.text
    assert "Another section uses this slug." in response.text
    assert "Typed here" in response.text
    bad_slug = client.post("/editor/sections/new", data={"name": "Sport", "slug": "Sport News"})
    assert bad_slug.status_code == 400 and 'id="slug-error"' in bad_slug.text
    missing = client.post("/editor/sections/new", data={"name": ""})
    assert missing.status_code == 400 and "Please name the section." in missing.text
    assert "<title>Error: " in missing.text  # a refused form says so in the title
    assert db.session.scalar(select(Section).where(Section.name == "Sport")) is None


def test_edit_a_section(client, editor, make):
    section = make.section("Nws", slug="nws")
    db.session.commit()
    form = client.get(f"/editor/sections/{section.id}/edit")
    assert 'value="Nws"' in form.text
    response = client.post(
        f"/editor/sections/{section.id}/edit",
        data={"name": "News", "slug": "news", "description": "All of it", "position": "2"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (section.name, section.slug, section.description, section.position) == (
        "News",
        "news",
        "All of it",
        2,
    )
    same_name = client.post(
        f"/editor/sections/{section.id}/edit", data={"name": "News", "slug": "news"}
    )
    assert same_name.status_code == 302  # its own name is not a clash


def test_deleting_an_empty_section(client, editor, make):
    section = make.section("Empty")
    db.session.commit()
    response = client.post(f"/editor/sections/{section.id}/delete")
    assert response.status_code == 302
    assert db.session.scalar(select(Section)) is None


def test_deleting_a_section_with_stories_is_refused(client, editor, make):
    section = make.section("Busy")
    story = make.article(section=section)
    db.session.commit()
    response = client.post(f"/editor/sections/{section.id}/delete", follow_redirects=True)
    assert "still holds 1 story: move them to another section first." in response.text
    db.session.expire_all()
    assert db.session.get(Section, section.id) is not None and story.section_id == section.id
