"""Lists, feeds, sitemaps and API answers keyed by the site's version, not by aggregates.

Everything these pages and documents show — stories, sections, outlets, approved comments — changes only
with the site-wide counters (newsroom/content/site_version.py), so a document's ETag is those
counters plus its URL: one primary-key read. A client holding that version gets a 304 before
anything else runs; otherwise the bytes come from the page cache (``pagecache.cached_page``,
shared between app servers through Redis when configured) and are built only after a change.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import Response

from newsroom.content.caching import Validator, make_validator, respond
from newsroom.content.site_version import site_state
from newsroom.readers import pagecache


def site_validator(kind: str, *key, comments: bool = False, weak: bool = False) -> Validator:
    """The validator of document ``kind`` named by ``key``; ``comments``: it shows comments too."""
    site = site_state()
    return make_validator(
        kind, *key, site.content, site.comments if comments else None,
        last_modified=site.changed_at, weak=weak,
        trust_since=False,  # a scheduled story going live or a section rename leaves no timestamp
    )


def versioned(validator: Validator, content_type: str, render: Callable[[], Response]) -> Response:
    """A 304 for the client that holds ``validator``, else the document ``render`` builds.

    ``render`` runs only on a page-cache miss, and may abort (404, 400): nothing is kept then.
    """
    def text() -> str:
        return render().get_data(as_text=True)

    def document() -> Response:
        return Response(pagecache.cached_page(validator.etag, text), content_type=content_type)

    return respond(validator, document)
