"""Slugs: made from headlines, unique across articles and their former slugs."""
import pytest

from newsroom.models import Outlet, SlugRedirect
from newsroom.slugs import slugify, unique_slug
from newsroom.extensions import db


@pytest.mark.parametrize(
    "text, slug",
    [
        ("Café opens on Pier 4!", "cafe-opens-on-pier-4"),
        ("  Harbour -- lights__on  ", "harbour-lights-on"),
        ("Новости дня", "новости-дня"),
        ("Søren’s Straße, Łódź", "soren-s-strasse-lodz"),
        ("<b>Bold</b> & brave", "b-bold-b-brave"),
        ("!!!", ""),
    ],
)
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_slugify_cuts_long_text_at_a_word():
    slug = slugify("word " * 40)
    assert len(slug) <= 80 and not slug.endswith("-") and slug.startswith("word-word")


def test_unique_slug_suffixes_taken_slugs(app, make):
    assert unique_slug("Tide tables") == "tide-tables"
    make.article("Tide tables", slug="tide-tables")
    make.article("Tide tables", slug="tide-tables-2")
    assert unique_slug("Tide tables") == "tide-tables-3"
    assert unique_slug("Tide") == "tide"


def test_unique_slug_avoids_former_slugs_but_not_the_articles_own(app, make):
    story = make.article("Renamed", slug="renamed")
    db.session.add(SlugRedirect(old_slug="old-name", article=story))
    db.session.flush()
    assert unique_slug("Old name") == "old-name-2"
    assert unique_slug("Old name", exclude_id=story.id) == "old-name"
    assert unique_slug("Renamed", exclude_id=story.id) == "renamed"


def test_unique_slug_for_another_column_and_fallback(app, make):
    make.outlet("Valley", slug="valley")
    assert unique_slug("Valley", column=Outlet.slug) == "valley-2"
    assert unique_slug("???") == "story"


def test_unique_slug_treats_like_wildcards_literally(app, make):
    make.article("x", slug="a_b")
    assert unique_slug("a%") == "a"
