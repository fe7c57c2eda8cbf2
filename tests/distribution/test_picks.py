"""Editors' picks leave through the API (``featured``) and the comments feed (a category)."""
from __future__ import annotations

from xml.etree import ElementTree as ET

from newsroom.distribution.feeds import FEATURED_CATEGORY, FEATURED_DOMAIN
from newsroom.extensions import db
from newsroom.models import Role
from newsroom.moderation.featuring import feature, unfeature


def test_the_comments_api_flags_picks_replies_included(client, newsroom, make):
    staff = make.user(Role.MODERATOR)
    top = make.comment(newsroom.own, author_name="Top Tess")
    reply = make.comment(newsroom.own, parent=top, author_name="Reply Rui")
    plain = make.comment(newsroom.own, author_name="Plain Pam")
    feature(reply, staff)
    db.session.commit()
    etag = client.get("/api/v1/articles/tide-gauge/comments").headers["ETag"]
    items = client.get("/api/v1/articles/tide-gauge/comments").json["items"]
    flags = {item["author_name"]: item["featured"] for item in items}
    assert flags == {"Top Tess": False, "Plain Pam": False}
    assert items[0]["replies"][0]["featured"] is True
    assert "featured_by_id" not in str(items) and "featured_at" not in str(items)
    feature(plain, staff)
    unfeature(reply, staff)
    db.session.commit()
    # the answer changed, so its validator did too
    again = client.get("/api/v1/articles/tide-gauge/comments", headers={"If-None-Match": etag})
    assert again.status_code == 200
    flags = {item["author_name"]: item["featured"] for item in again.json["items"]}
    assert flags == {"Top Tess": False, "Plain Pam": True}
    assert again.json["items"][0]["replies"][0]["featured"] is False


def test_the_comments_feed_gives_picks_a_featured_category(client, newsroom, make):
    staff = make.user(Role.EDITOR)
    picked = make.comment(newsroom.own, author_name="Picked Pia")
    make.comment(newsroom.own, author_name="Plain Pam")
    feature(picked, staff)
    db.session.commit()
    feed = ET.fromstring(client.get("/articles/tide-gauge/comments.xml").data)
    categories = {
        item.findtext("title"): [(c.text, c.get("domain")) for c in item.findall("category")]
        for item in feed.iter("item")
    }
    assert categories == {"Comment by Picked Pia": [(FEATURED_CATEGORY, FEATURED_DOMAIN)],
                          "Comment by Plain Pam": []}
