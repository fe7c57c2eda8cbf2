"""Template globals and filters: absolute URLs, dates, the site's name and sections."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Flask, current_app, url_for
from flask_wtf import FlaskForm
from jinja2 import pass_context

from newsroom.comments.thread_html import comment_thread
from newsroom.content.articles import navigation_links
from newsroom.content.corrections import pinned_corrections, public_corrections
from newsroom.dates import html_datetime, show_date, show_day, zone_label
from newsroom.dates import iso_datetime as local_iso_datetime
from newsroom.inputs import punycode_url


def absolute_url(endpoint: str, **values) -> str:
    """An absolute URL, on NEWSROOM_SITE_URL when set, else on the request's host."""
    base = current_app.config["SITE_URL"]
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def iso_datetime(value: datetime | None) -> str:
    """ISO 8601 in UTC, for the API (pages use the site zone's offset: ``iso`` filter)."""
    return value.astimezone(timezone.utc).isoformat() if value else ""


def plain_value(value) -> str:
    """A stored value in words: "—" for nothing, yes/no, dates in the site's zone, lists joined."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return show_date(value)
    if isinstance(value, str) and "T" in value[:11]:
        try:
            return show_date(datetime.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, (list, tuple)):
        return ", ".join(plain_value(item) for item in value)
    return str(value)


@pass_context
def page_refused(context) -> bool:
    """True when the page answers a refused form: one of its forms has errors, or the view
    names the refusal (``failure``: a sign-in; ``publish_error``: publishing). The title says
    "Error: " then, whatever the form is called in the template."""
    if context.get("failure") or context.get("publish_error"):
        return True
    return any(isinstance(value, FlaskForm) and value.errors for value in context.get_all().values())


def init_app(app: Flask) -> None:
    app.jinja_env.filters["iso"] = local_iso_datetime
    app.jinja_env.filters["html_datetime"] = html_datetime
    app.jinja_env.filters["human_date"] = show_date
    app.jinja_env.filters["human_day"] = show_day
    app.jinja_env.filters["plain"] = plain_value
    app.jinja_env.globals["zone_label"] = zone_label
    app.jinja_env.globals["page_refused"] = page_refused
    app.jinja_env.filters["ascii_host"] = punycode_url
    app.jinja_env.globals["absolute_url"] = absolute_url
    app.jinja_env.globals["navigation_links"] = navigation_links
    app.jinja_env.globals["public_corrections"] = public_corrections
    app.jinja_env.globals["pinned_corrections"] = pinned_corrections
    app.jinja_env.globals["comment_thread"] = comment_thread
    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True

    @app.context_processor
    def site():
        return {"site_name": current_app.config["SITE_NAME"]}
