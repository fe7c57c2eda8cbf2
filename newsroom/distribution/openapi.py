"""The OpenAPI 3.1 document describing /api/v1 exactly (tests hold the API to it)."""
from __future__ import annotations

from flask import current_app

#: Items per page by default, the most a client may ask for, and the furthest page.
PER_PAGE = 20
MAX_PER_PAGE = 100
MAX_PAGE = 100_000

_NULLABLE_STRING = {"type": ["string", "null"]}
_DATE = {"type": "string", "format": "date-time"}
_URL = {"type": "string", "format": "uri"}


def _object(required_all: bool = True, **properties) -> dict:
    """A closed object schema: exactly these properties, all required."""
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required_all else [],
        "additionalProperties": False,
    }


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(name: str) -> dict:
    return {"oneOf": [_ref(name), {"type": "null"}]}


_SUMMARY_FIELDS = {
    "slug": {"type": "string"},
    "headline": {"type": "string"},
    "standfirst": {"type": "string"},
    "byline": {"type": "string", "description": "The byline, else the original author."},
    "url": _URL,
    "api_url": _URL,
    "published_at": {**_DATE, "description": "When the story was published on this site."},
    "display_date": {**_DATE, "description": "The original publication date if syndicated."},
    "updated_at": _DATE,
    "image_url": _NULLABLE_STRING,
    "section": _nullable("SectionRef"),
    "outlet": _nullable("Outlet"),
}

SCHEMAS = {
    "Error": _object(error=_object(
        status={"type": "integer"},
        code={"type": "string", "examples": ["not_found", "bad_request"]},
        message={"type": "string"},
    )),
    "Pagination": _object(
        page={"type": "integer", "minimum": 1},
        per_page={"type": "integer", "minimum": 1},
        total={"type": "integer", "minimum": 0},
        pages={"type": "integer", "minimum": 1},
        prev={"oneOf": [_URL, {"type": "null"}]},
        next={"oneOf": [_URL, {"type": "null"}]},
    ),
    "Outlet": _object(slug={"type": "string"}, name={"type": "string"}, homepage_url=_URL),
    "SectionRef": _object(slug={"type": "string"}, name={"type": "string"}),
    "Section": _object(
        slug={"type": "string"}, name={"type": "string"}, description={"type": "string"},
        url=_URL, feed_url=_URL,
    ),
    "ArticleSummary": _object(**_SUMMARY_FIELDS),
    "Attribution": _object(
        outlet=_ref("Outlet"),
        original_url=_NULLABLE_STRING,
        original_author={"type": "string"},
        original_published_at={"oneOf": [_DATE, {"type": "null"}]},
    ),
    "Article": _object(
        **_SUMMARY_FIELDS,
        body_html={"type": "string", "description": "Sanitised HTML."},
        image_caption={"type": "string"},
        image_credit={"type": "string"},
        comments_url=_URL,
        attribution=_nullable("Attribution"),
    ),
    "Comment": _object(
        id={"type": "integer"},
        parent_id={"type": ["integer", "null"]},
        author_name={"type": "string"},
        author_website={"type": "string"},
        body_html={"type": "string", "description": "Sanitised HTML."},
        created_at=_DATE,
        featured={"type": "boolean",
                  "description": "An editors' pick (also shown above the article's thread)."},
        replies={"type": "array", "items": _ref("Comment")},
    ),
}


def _list_of(name: str) -> dict:
    return _object(items={"type": "array", "items": _ref(name)}, pagination=_ref("Pagination"))


SCHEMAS.update(
    ArticleList=_list_of("ArticleSummary"),
    SectionList=_list_of("Section"),
    OutletList=_list_of("Outlet"),
    CommentList=_list_of("Comment"),
)

_PAGE = {
    "name": "page", "in": "query", "required": False,
    "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
}
_PER_PAGE = {
    "name": "per_page", "in": "query", "required": False,
    "description": f"Items per page; larger values are treated as {MAX_PER_PAGE}.",
    "schema": {"type": "integer", "minimum": 1, "maximum": 999_999_999, "default": PER_PAGE},
}
_NOT_MODIFIED = {"description": "Not modified: the If-None-Match ETag is current."}
_SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}}


def _filter(name: str) -> dict:
    return {
        "name": name, "in": "query", "required": False,
        "description": f"Only stories from this {name} (its slug).",
        "schema": {"type": "string", "minLength": 1, "maxLength": 200,
                   "pattern": "^[^\\x00-\\x1f\\x7f]+$"},
    }


def _json(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def _ok(schema: str, description: str) -> dict:
    response = _json(schema, description)
    response["headers"] = {
        "ETag": {"required": True, "schema": {"type": "string"}},
        "Access-Control-Allow-Origin": {"required": True, "schema": {"const": "*"}},
    }
    return response


def _operation(summary: str, schema: str, parameters: list, errors: tuple[int, ...]) -> dict:
    responses = {"200": _ok(schema, summary), "304": _NOT_MODIFIED}
    for status in errors:
        responses[str(status)] = _json("Error", "Bad request" if status == 400 else "Not found")
    return {"get": {"summary": summary, "parameters": parameters, "responses": responses}}


PATHS = {
    "/articles": _operation(
        "Published articles, newest first", "ArticleList",
        [_PAGE, _PER_PAGE, _filter("section"), _filter("outlet")], (400,)),
    "/articles/{slug}": _operation("One published article", "Article", [_SLUG], (404,)),
    "/articles/{slug}/comments": _operation(
        "Approved comments, top-level ones paginated, replies nested", "CommentList",
        [_SLUG, _PAGE], (400, 404)),
    "/sections": _operation("Sections", "SectionList", [_PAGE, _PER_PAGE], (400,)),
    "/outlets": _operation("Outlets republished here", "OutletList", [_PAGE, _PER_PAGE], (400,)),
    "/openapi.json": {"get": {"summary": "This document", "responses": {
        "200": {"description": "OpenAPI 3.1", "content": {"application/json": {
            "schema": {"type": "object", "required": ["openapi", "paths"]}}}},
        "304": _NOT_MODIFIED}}},
}


def openapi_document() -> dict:
    """The document, with this site's name and base URL."""
    base = current_app.config["SITE_URL"] or ""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{current_app.config['SITE_NAME']} API",
            "version": "1.0.0",
            "description": "Read-only access to published stories, approved comments, "
                           "sections and outlets. Every answer carries an ETag.",
        },
        "servers": [{"url": f"{base}/api/v1"}],
        "paths": PATHS,
        "components": {"schemas": SCHEMAS},
    }
