"""What the JSON API sends, built from explicit allowlists of fields (never email, IP, agent)."""
from __future__ import annotations

from newsroom.content.threads import CommentNode
from newsroom.models import Article, Outlet, Section
from newsroom.media.storage import lead_image_url
from newsroom.templating import absolute_url, iso_datetime

#: The only comment fields that ever leave through the API.
COMMENT_FIELDS = ("id", "parent_id", "author_name", "author_website", "created_at")
#: The outlet fields that are public (licence terms and feed validators stay inside).
OUTLET_FIELDS = ("slug", "name", "homepage_url")


def outlet_json(outlet: Outlet) -> dict:
    return {name: getattr(outlet, name) for name in OUTLET_FIELDS}


def section_json(section: Section) -> dict:
    return {
        "slug": section.slug,
        "name": section.name,
        "description": section.description,
        "url": absolute_url("readers.section", slug=section.slug),
        "feed_url": absolute_url("distribution.section_rss", slug=section.slug),
    }


def article_summary_json(article: Article) -> dict:
    """An article in a list: enough to show a card and follow its links."""
    return {
        "slug": article.slug,
        "headline": article.headline,
        "standfirst": article.standfirst,
        "byline": article.byline or article.original_author,
        "url": absolute_url("readers.article", slug=article.slug),
        "api_url": absolute_url("api.article", slug=article.slug),
        "published_at": iso_datetime(article.published_at),
        "display_date": iso_datetime(article.display_date),
        "updated_at": iso_datetime(article.updated_at),
        "image_url": lead_image_url(article),
        "section": _section_ref(article.section),
        "outlet": outlet_json(article.outlet) if article.outlet else None,
    }


def article_json(article: Article) -> dict:
    """One article with its sanitised body and, for a syndicated story, its attribution."""
    data = article_summary_json(article)
    data.update(
        body_html=article.body,
        image_caption=article.image_caption,
        image_credit=article.image_credit,
        comments_url=absolute_url("api.article_comments", slug=article.slug),
        attribution=_attribution(article),
    )
    return data


def comment_json(node: CommentNode) -> dict:
    """An approved comment and its replies, nested; only COMMENT_FIELDS plus the body."""
    comment = node.comment
    data = {name: getattr(comment, name) for name in COMMENT_FIELDS}
    data["created_at"] = iso_datetime(comment.created_at)
    data["body_html"] = comment.body
    data["featured"] = comment.featured_at is not None  #: when, and by whom, stays inside
    data["replies"] = [comment_json(reply) for reply in node.replies]
    return data


def _section_ref(section: Section | None) -> dict | None:
    return {"slug": section.slug, "name": section.name} if section else None


def _attribution(article: Article) -> dict | None:
    if article.outlet is None:
        return None
    return {
        "outlet": outlet_json(article.outlet),
        "original_url": article.original_url,
        "original_author": article.original_author,
        "original_published_at": iso_datetime(article.original_published_at) or None,
    }
