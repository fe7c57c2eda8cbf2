"""What the desk's story form posts, for tests to change a field or two."""
from __future__ import annotations

from newsroom.models import Article


def article_form(article: Article | None = None, **fields) -> dict:
    """The story form as a browser would send it: ``article``'s values, then ``fields``."""
    data = {
        "headline": "Harbour lights switched on",
        "slug": "",
        "standfirst": "",
        "body": "<p>The lights came on at dusk.</p>",
        "section_id": "",
        "byline": "",
        "image_id": "",
        "image_alt": "",
        "image_url": "",
        "image_caption": "",
        "image_credit": "",
        "comments_enabled": "y",
        "outlet_id": "",
        "original_url": "",
        "original_author": "",
        "original_published_at": "",
    }
    if article is not None:
        data.update(
            headline=article.headline,
            slug=article.slug,
            standfirst=article.standfirst,
            body=article.body,
            section_id=article.section_id or "",
            byline=article.byline,
            image_id=article.image_id or "",
            image_alt=article.image_alt,
            image_url=article.image_url or "",
            image_caption=article.image_caption,
            image_credit=article.image_credit,
            outlet_id=article.outlet_id or "",
            original_url=article.original_url or "",
            original_author=article.original_author,
            original_published_at=(
                article.original_published_at.strftime("%Y-%m-%dT%H:%M")
                if article.original_published_at
                else ""
            ),
            version=article.version,
        )
        if not article.comments_enabled:
            del data["comments_enabled"]
    data.update(fields)
    return {key: value for key, value in data.items() if value is not None}
