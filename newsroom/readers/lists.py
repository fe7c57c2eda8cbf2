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

from newsroom.content.caching import keep_private, share
from newsroom.readers import pagecache
from newsroom.readers.versioned import site_validator, versioned

LIST_ARGS = frozenset({"page", "per_page"})
HTML_TYPE = "text/html; charset=utf-8"


def shared_list(name: tuple, render: Callable[[], str]) -> Response:
    """The list page ``name`` (e.g. ``("section", slug)``) rendered by ``render``."""
    if not pagecache.is_shared(LIST_ARGS):
        return keep_private(make_response(render()))
    # the lists show comment counts; a scheduled story going live is counted, not timestamped
    validator = site_validator("list", name, sorted(request.args.items(multi=True)),
                               comments=True, weak=True)
    pagecache.offer_to_front()
    return share(versioned(validator, HTML_TYPE, lambda: make_response(render())))
