"""Template globals and filters: absolute URLs, dates, the site's name and sections."""
from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app, url_for

from newsroom.content.articles import navigation_sections
from newsroom.inputs import punycode_url


def absolute_url(endpoint: str, **values) -> str:
    """An absolute URL, on NEWSROOM_SITE_URL when set, else on the request's host."""
    base = current_app.config["SITE_URL"]
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def iso_datetime(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def html_datetime(value: datetime | None) -> str:
    """ISO 8601 to the second, as HTML's ``<time datetime>`` allows (at most 3 fraction digits)."""
    return value.isoformat(timespec="seconds") if value else ""


def human_date(value: datetime | None) -> str:
    """'25 November 2026, 14:05 UTC'."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y, %H:%M} UTC"


def init_app(app: Flask) -> None:
    app.jinja_env.filters["iso"] = iso_datetime
    app.jinja_env.filters["html_datetime"] = html_datetime
    app.jinja_env.filters["human_date"] = human_date
    app.jinja_env.filters["ascii_host"] = punycode_url
    app.jinja_env.globals["absolute_url"] = absolute_url
    app.jinja_env.globals["navigation_sections"] = navigation_sections
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def site():
        return {"site_name": current_app.config["SITE_NAME"]}
