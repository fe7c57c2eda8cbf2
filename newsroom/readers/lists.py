"""The home page and section pages: shared by anonymous readers, keyed by the site's version.

What a list shows — its articles, their sections, outlets and comment counts, the navigation —
changes only with the site-wide version (newsroom/content/site_version.py), so its ETag and
page-cache key are that one primary-key read plus the URL: a hit runs no other query, whatever
the number of stories. Staff and readers with a message waiting get a page rendered for them
(``private, no-store``); everyone else gets the same bytes, ``public, s-maxage`` for nginx.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import make_response, request
from werkzeug.wrappers import Response

from newsroom.content.caching import keep_private, make_validator, not_modified, share, stamp
from newsroom.content.site_version import site_state
from newsroom.readers import pagecache

LIST_ARGS = frozenset({"page", "per_page"})


def shared_list(name: tuple, render: Callable[[], str]) -> Response:
    """The list page ``name`` (e.g. ``("section", slug)``) rendered by ``render``."""
    if not pagecache.is_shared(LIST_ARGS):
        return keep_private(make_response(render()))
    site = site_state()
    validator = make_validator(
        "list", name, sorted(request.args.items(multi=True)), site.content, site.comments,
        last_modified=site.changed_at, weak=True,
        trust_since=False,  # a scheduled story going live is counted, not timestamped
    )
    cached = not_modified(validator)
    if cached is not None:
        return share(cached)
    pagecache.offer_to_front()
    html = pagecache.cached_page(validator.etag, render) if pagecache.enabled() else render()
    return share(stamp(make_response(html), validator))
