"""Share metadata for article pages: Open Graph, the X card and JSON-LD NewsArticle."""
from __future__ import annotations

import re

from flask import current_app
from markupsafe import Markup

from newsroom.distribution.blueprint import blueprint
from newsroom.content.caching import latest
from newsroom.content.corrections import public_corrections
from newsroom.media.storage import lead_image_url
from newsroom.models import LICENCE_DEEDS, LICENCE_LABELS, Article, Licence, Outlet
from newsroom.syndication.text import truncate_words
from newsroom.dates import iso_datetime
from newsroom.templating import absolute_url


def author_names(article: Article) -> list[str]:
    """The story's credited writers: the byline, else the original author."""
    byline = article.byline or article.original_author
    return [byline] if byline else []


#: The most characters of body text that stand in for a missing standfirst.
SUMMARY_LENGTH = 200
#: Where one block of text ends and the next begins.
BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|blockquote|figcaption|pre|td|th|dd|dt)>|<br\s*/?>",
                       re.IGNORECASE)


@blueprint.app_template_global()
def summary_text(article: Article) -> str:
    """The standfirst, else the body's opening words as plain text (feeds, previews, JSON-LD)."""
    if article.standfirst:
        return article.standfirst
    spaced = BLOCK_END.sub(r"\g<0> ", article.body)  # "</p><p>" must not glue two words
    # Bandit B704 judged safe: a sanitised body, and striptags() returns plain text.
    return truncate_words(Markup(spaced).striptags(), SUMMARY_LENGTH)  # nosec B704


def credited_to(article: Article) -> str:
    """Who a feed says wrote the story: its writer, else the outlet, else this site."""
    names = author_names(article)
    if names:
        return names[0]
    return article.outlet.name if article.outlet else current_app.config["SITE_NAME"]


def original_link(article: Article) -> str | None:
    """Where a syndicated story first appeared: its original URL, else the outlet's home."""
    if article.outlet is None:
        return None
    return article.original_url or article.outlet.homepage_url


def credit_html(article: Article) -> Markup:
    """'Originally published in <Outlet>' linking to the original, for feed content."""
    if article.outlet is None:
        return Markup("")
    return Markup(
        '<p class="attribution">Originally published in <a href="{}"><cite>{}</cite></a>.</p>'
    ).format(original_link(article), article.outlet.name)


@blueprint.app_template_global()
def licence_name(row: Article | Outlet) -> str:
    """The licence as a reader reads it: "CC BY 4.0", or the terms in words for "other"."""
    if row.licence is None:
        return ""
    if row.licence == Licence.OTHER:
        return row.licence_text or LICENCE_LABELS[Licence.OTHER]
    return LICENCE_LABELS[row.licence]


@blueprint.app_template_global()
def licence_url(row: Article | Outlet) -> str | None:
    """The Creative Commons deed of a CC licence; None for any other."""
    return LICENCE_DEEDS.get(row.licence) if row.licence else None


@blueprint.app_template_global()
def credit_line(article: Article) -> str:
    """The credit the story's licence requires: its own, else its outlet's."""
    if article.credit_line:
        return article.credit_line
    return article.outlet.credit_line if article.outlet else ""


def _licence_json_ld(article: Article) -> str | dict | None:
    """schema.org ``license``: the deed's URL for CC, else the terms as a CreativeWork."""
    if article.outlet is None or article.licence is None:
        return None
    return licence_url(article) or {"@type": "CreativeWork", "name": licence_name(article)}


@blueprint.app_template_global()
def open_graph(article: Article, page_url: str) -> list[tuple[str, str]]:
    """(property, content) pairs for Open Graph and the X card, in page order."""
    config = current_app.config
    image = lead_image_url(article) or ""
    tags = [
        ("og:type", "article"),
        ("og:site_name", config["SITE_NAME"]),
        ("og:title", article.headline),
        ("og:url", page_url),
        ("og:description", summary_text(article)),
        ("og:image", image),
        ("og:image:alt", (article.image_alt or article.image_caption) if image else ""),
        ("article:published_time", iso_datetime(article.display_date)),
        ("article:modified_time", iso_datetime(article.updated_at)),
        ("article:section", article.section.name if article.section else ""),
        ("twitter:card", "summary_large_image" if image else "summary"),
        ("twitter:title", article.headline),
        ("twitter:description", summary_text(article)),
        ("twitter:image", image),
        ("twitter:image:alt", (article.image_alt or article.image_caption) if image else ""),
    ]
    return [(name, content) for name, content in tags if content]


@blueprint.app_template_global()
def news_article_json_ld(article: Article, page_url: str) -> dict:
    """A schema.org NewsArticle; the template serialises it with ``tojson`` (script-safe)."""
    config = current_app.config
    home = absolute_url("readers.home")
    names = author_names(article)
    if names:
        author = [{"@type": "Person", "name": name} for name in names]
    else:
        author = [_organisation(article.outlet.name, article.outlet.homepage_url)
                  if article.outlet else _organisation(config["SITE_NAME"], home)]
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline,
        "description": summary_text(article) or None,
        "datePublished": iso_datetime(article.display_date),
        "dateModified": iso_datetime(modified_at(article)),
        "author": author,
        "publisher": _organisation(config["SITE_NAME"], home),
        "mainEntityOfPage": {"@type": "WebPage", "@id": page_url},
        "url": page_url,
        "image": [lead_image_url(article)] if article.has_lead_image else None,
        "articleSection": article.section.name if article.section else None,
    }
    data["correction"] = correction_comments(article) or None
    if article.outlet is not None:
        data["isBasedOn"] = original_link(article)
        data["sourceOrganization"] = _organisation(article.outlet.name, article.outlet.homepage_url)
        data["license"] = _licence_json_ld(article)
    return {key: value for key, value in data.items() if value is not None}


def modified_at(article: Article):
    """When the story last changed for readers: the source's update time (else our last save),
    moved on by any correction added or removed since."""
    return latest(article.original_updated_at or article.updated_at, article.corrections_changed_at)


def correction_comments(article: Article) -> list[dict]:
    """The story's live corrections as schema.org ``CorrectionComment`` objects."""
    return [
        {"@type": "CorrectionComment", "text": f"{c.kind.label}: {c.text}",
         "datePublished": iso_datetime(c.created_at)}
        for c in public_corrections(article)
    ]


def _organisation(name: str, url: str) -> dict:
    return {"@type": "Organization", "name": name, "url": url}
