"""Conditional GET: validators computed from data, and 304 answers before any rendering.

A view asks for a :class:`Validator` built from a cheap aggregate query, returns
``not_modified(validator)`` when the client already holds that version, and otherwise renders
and calls ``stamp(response, validator)``.

The ETag covers everything the resource shows. ``Last-Modified`` is always sent, but it can
only move forward: a rejected or deleted comment leaves no newer timestamp behind. So
``If-Modified-Since`` alone is honoured only for resources whose every change leaves a newer
timestamp (``trust_since=True``); the others answer 304 on a matching ETag only.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from flask import Response, current_app, has_request_context, request, session

#: Bump when the output format of a feed, sitemap or page changes, so old ETags stop matching.
FORMAT_VERSION = "1"


@dataclass(frozen=True)
class Validator:
    """An ETag and a Last-Modified time for one version of a resource."""

    etag: str
    last_modified: datetime | None
    weak: bool = False
    #: Whether every change moves ``last_modified`` forward (see the module docstring).
    trust_since: bool = True


def make_validator(
    *parts: object, last_modified: datetime | None, weak: bool = False, trust_since: bool = True
) -> Validator:
    """Hash ``parts`` (plus the site's settings) into an ETag."""
    config = current_app.config
    # Without SITE_URL the answer's absolute URLs follow the Host header, and so must the ETag.
    site = config["SITE_URL"] or (request.host if has_request_context() else None)
    seed = repr((FORMAT_VERSION, site, config["SITE_NAME"], parts))
    etag = hashlib.sha256(seed.encode()).hexdigest()[:32]
    return Validator(etag, _to_second(latest(last_modified)), weak, trust_since)


def latest(*moments: datetime | None) -> datetime | None:
    """The newest of the given times, ignoring None."""
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


def is_fresh(validator: Validator) -> bool:
    """Whether the client's copy (If-None-Match / If-Modified-Since) is this version."""
    if request.method not in ("GET", "HEAD"):
        return False
    if request.if_none_match:
        return request.if_none_match.contains_weak(validator.etag)
    since = request.if_modified_since
    if since is None or validator.last_modified is None or not validator.trust_since:
        return False
    return validator.last_modified <= since


def not_modified(validator: Validator) -> Response | None:
    """A 304 answer when the client is up to date, else None."""
    if not is_fresh(validator):
        return None
    return stamp(Response(status=304), validator)


def respond(validator: Validator, build: Callable[[], Response]) -> Response:
    """A 304 when the client holds this version, else ``build()`` stamped with the validators.

    ``build`` runs only when needed: a 304 costs the validator's query alone.
    """
    cached = not_modified(validator)
    return cached if cached is not None else stamp(build(), validator)


def stamp(response: Response, validator: Validator) -> Response:
    """Put the validators on a response; clients must revalidate before reusing it."""
    response.set_etag(validator.etag, weak=validator.weak)
    if validator.last_modified is not None:
        response.last_modified = validator.last_modified
    response.cache_control.no_cache = True
    return response


def share(response: Response) -> Response:
    """Mark a page every anonymous reader gets (the same bytes for all) for shared caches.

    Browsers revalidate each time (``max-age=0``, with the ETag); nginx's microcache and other
    proxies keep it SHARED_CACHE_SECONDS, then serve the old copy for at most
    SHARED_CACHE_STALE_SECONDS while fetching the new one.
    """
    if session.modified:  # the answer writes this reader's session cookie: theirs alone
        return keep_private(response)
    config = current_app.config
    response.headers["Cache-Control"] = (
        f"public, max-age=0, s-maxage={int(config['SHARED_CACHE_SECONDS'])}, "
        f"stale-while-revalidate={int(config['SHARED_CACHE_STALE_SECONDS'])}"
    )
    return response


def keep_private(response: Response) -> Response:
    """Mark a page rendered for one reader: no shared or browser cache may store it."""
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _to_second(moment: datetime | None) -> datetime | None:
    """HTTP dates carry whole seconds."""
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).replace(microsecond=0)
