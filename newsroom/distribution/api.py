"""The read-only JSON API at /api/v1: articles, their comments, sections and outlets."""
from __future__ import annotations

from functools import wraps
from urllib.parse import parse_qsl

from flask import Blueprint, abort, jsonify, request
from sqlalchemy import Select, select

from newsroom.content.articles import published_article, published_articles, sections_in_order
from newsroom.content.threads import comment_threads
from newsroom.distribution.openapi import MAX_PAGE, MAX_PER_PAGE, PER_PAGE, openapi_document
from newsroom.distribution.serializers import (
    article_json,
    article_summary_json,
    comment_json,
    outlet_json,
    section_json,
)
from newsroom.extensions import csrf
from newsroom.inputs import has_controls
from newsroom.models import Article, Outlet, Section, utcnow
from newsroom.readers.versioned import site_validator, versioned
from newsroom.pagination import Page, paginate
from newsroom.templating import absolute_url

api = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(api)  # read-only: nothing here changes state

JSON_TYPE = "application/json"

#: Request headers a cross-origin script may send.
CORS_REQUEST_HEADERS = "Accept, If-None-Match, If-Modified-Since"


def site_versioned(view):
    """Answer from the site's version: a 304, or the JSON built once per change (page cache).

    The key is the path and the query string as sent, so a malformed filter is its own answer.
    """
    @wraps(view)
    def answer(**kwargs):
        validator = site_validator("api", request.path, request.query_string, comments=True)
        return versioned(validator, JSON_TYPE, lambda: view(**kwargs))

    return answer


@api.get("/articles")
@site_versioned
def articles():
    """Published articles, newest first; filter with ``section`` and ``outlet`` slugs."""
    query = published_articles(utcnow())
    # The filters as sent: request.args has control characters stripped, and a slug carrying
    # one is malformed (400, as the OpenAPI document says), not a different slug.
    sent: dict[str, str] = {}
    for key, value in parse_qsl(request.query_string.decode("latin-1"), keep_blank_values=True):
        sent.setdefault(key, value)  # the first, as request.args.get gives
    for name, model, column in (("section", Section, Article.section_id),
                                ("outlet", Outlet, Article.outlet_id)):
        slug = request.args.get(name)
        if slug is not None:
            slug = _slug(sent.get(name, slug), 400)
            query = query.where(column.in_(select(model.id).where(model.slug == slug)))
    return _paginated(query, article_summary_json, "api.articles")


@api.get("/articles/<slug>")
@site_versioned
def article(slug: str):
    """One published article with its body and attribution."""
    found = published_article(_slug(slug, 404), utcnow()) or abort(404)
    return jsonify(article_json(found))


@api.get("/articles/<slug>/comments")
@site_versioned
def article_comments(slug: str):
    """An article's approved comments, threaded: top-level comments paginated, replies nested."""
    found = published_article(_slug(slug, 404), utcnow()) or abort(404)
    page = _int_arg("page", 1, MAX_PAGE)
    threads = comment_threads(found, page)
    items = [comment_json(node) for node in threads.roots] if page <= threads.pages else []
    asked = Page(items, page, threads.pager.per_page, threads.pager.total)  # not clamped
    return jsonify(items=items, pagination=_pagination(
        asked, threads.total, "api.article_comments", {"slug": found.slug}))


@api.get("/sections")
@site_versioned
def sections():
    """The site's sections, in navigation order."""
    return _paginated(sections_in_order(), section_json, "api.sections")


@api.get("/outlets")
@site_versioned
def outlets():
    """The outlets whose stories are republished here, by name."""
    return _paginated(select(Outlet).order_by(Outlet.name), outlet_json, "api.outlets")


@api.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 description of this API."""
    return jsonify(openapi_document())


@api.after_app_request
def api_headers(response):
    """CORS on every /api/ answer (errors too); ETags and 304s on successful reads."""
    if not request.path.startswith(api.url_prefix + "/"):
        return response
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "ETag, Link"
    if request.method == "OPTIONS":
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = CORS_REQUEST_HEADERS
        response.headers["Access-Control-Max-Age"] = "86400"
    elif request.method in ("GET", "HEAD") and response.status_code == 200:
        response.cache_control.no_cache = True
        if "ETag" not in response.headers:  # not versioned (the OpenAPI document): hash the body
            response.add_etag()
            response.make_conditional(request)
    return response


def _paginated(query: Select, serialise, endpoint: str):
    """One page of ``query`` in two queries (count, rows), with links to the neighbours."""
    page = _int_arg("page", 1, MAX_PAGE)
    per_page = min(_int_arg("per_page", PER_PAGE, None), MAX_PER_PAGE)
    found = paginate(query, page, per_page, keep_in_range=False)
    args = {name: request.args[name] for name in ("section", "outlet") if name in request.args}
    if "per_page" in request.args:
        args["per_page"] = per_page
    items = [serialise(row) for row in found.items]
    return jsonify(items=items, pagination=_pagination(found, found.total, endpoint, args))


def _pagination(page: Page, total: int, endpoint: str, args: dict) -> dict:
    """The page numbers, and absolute links to the previous and next pages (None at the ends)."""
    def link(number: int) -> str:
        return absolute_url(endpoint, page=number, **args)

    return {
        "page": page.page,
        "per_page": page.per_page,
        "total": total,
        "pages": page.pages,
        "prev": link(page.prev_num) if 1 < page.page <= page.pages + 1 else None,
        "next": link(page.next_num) if page.has_next else None,
    }


def _int_arg(name: str, default: int, maximum: int | None) -> int:
    """A whole-number query argument from 1 to ``maximum``; anything else is a 400."""
    raw = request.args.get(name)
    if raw is None:
        return default
    digits = raw.isascii() and raw.isdigit() and len(raw) <= 9
    if not digits or int(raw) < 1 or (maximum and int(raw) > maximum):
        limit = f" to {maximum}" if maximum else " or more"
        abort(400, description=f"'{name}' must be a whole number from 1{limit}.")
    return int(raw)


def _slug(value: str, status: int) -> str:
    """A slug fit to look up: no control characters (PostgreSQL refuses NUL), sane length."""
    if not value or len(value) > 200 or has_controls(value):
        abort(status, description="No such item." if status == 404 else "Malformed slug.")
    return value
