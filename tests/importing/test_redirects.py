"""Old WordPress URLs of imported posts answer 301 to the article; the home page stays cheap."""
from __future__ import annotations

import pytest
from lxml import html

from tests.importing.conftest import DISQUS, comment_by

WALL = "/articles/harbour-wall-repaired"


@pytest.mark.parametrize("old", [
    "/2020/10/15/harbour-wall-repaired/",
    "/2020/10/15/harbour-wall-repaired",
    "/?p=101",
    "/?p=101&utm_source=newsletter",
])
def test_an_old_url_answers_301_to_the_article(client, imported, old):
    response = client.get(old)
    assert response.status_code == 301
    assert response.headers["Location"] == WALL
    assert client.get(response.headers["Location"]).status_code == 200


def test_the_follow_up_and_a_plain_permalink_redirect_too(client, imported):
    assert client.get("/2020/10/20/harbour-wall-repaired-2/").headers["Location"] == \
        "/articles/harbour-wall-repaired-2"
    assert client.get("/?p=102").headers["Location"] == "/articles/choir-fills-the-old-ferry-shed"


@pytest.mark.parametrize("old", ["/?p=104", "/?p=103", "/2020/12/03/budget-memo/"])
def test_an_unpublished_article_does_not_redirect(client, imported, old):
    """A draft's or scheduled story's old link gives nothing away."""
    response = client.get(old)
    assert response.status_code == (200 if old.startswith("/?") else 404)
    assert "Location" not in response.headers


@pytest.mark.parametrize("url, status", [
    ("/2019/01/01/never-imported/", 404),
    ("/?p=999999", 200),  # unknown post: the home page, as without p
    ("/?p=abc", 200),
    ("/about/", 404),  # a page: skipped, so no redirect
    ("/api/v1/2020/10/15/harbour-wall-repaired", 404),
])
def test_other_urls_are_unchanged(client, imported, url, status):
    response = client.get(url)
    assert response.status_code == status
    assert "Location" not in response.headers


def test_the_home_page_makes_no_redirect_query_without_p(client, imported, count_queries):
    with count_queries() as plain:
        assert client.get("/").status_code == 200
    with count_queries() as paged:
        assert client.get("/?page=1").status_code == 200
    assert not [q for q in plain + paged if "legacy_redirects" in q]
    with count_queries() as with_p:
        client.get("/?p=101")
    assert [q for q in with_p if "legacy_redirects" in q]


def test_a_post_to_an_old_url_is_not_redirected(client, imported):
    assert client.post("/2020/10/15/harbour-wall-repaired/").status_code in (404, 405)


def test_an_imported_thread_renders_nested_on_the_article_page(client, imported, run_import):
    assert run_import("disqus", DISQUS).exit_code == 0
    page = html.fromstring(client.get(WALL).get_data(as_text=True))
    greta, piet, olaf = (comment_by(name).id for name in ("Greta Lind", "Piet Vos",
                                                          "Olaf Strand"))
    thread = page.get_element_by_id(f"comment-{greta}")
    reply = page.get_element_by_id(f"comment-{piet}")
    assert reply in thread.iterdescendants()  # the reply's element sits inside its parent's
    assert page.get_element_by_id(f"comment-{olaf}") in reply.iterdescendants()
    sven = comment_by("Sven Aas")  # the Disqus thread: three levels deep as well
    disqus_root = page.get_element_by_id(f"comment-{sven.parent_id}")
    disqus_reply = page.get_element_by_id(f"comment-{sven.id}")
    assert disqus_reply in disqus_root.iterdescendants()
    assert "Replying to Sven" in disqus_reply.text_content()
    text = page.text_content()
    for hidden in ("still waiting for moderation", "cheap pills", "cheap watches",
                   "removed by its writer", "put in the trash"):
        assert hidden not in text.lower()
