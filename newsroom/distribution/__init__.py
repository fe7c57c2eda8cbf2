"""Distribution: RSS/Atom feeds, sitemaps, robots.txt, share metadata and the JSON API."""
from flask import Blueprint

blueprint = Blueprint("distribution", __name__)

# Routes register on import.
from newsroom.distribution import feeds, metadata, sitemaps  # noqa: E402,F401
