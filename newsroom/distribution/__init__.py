"""Distribution: RSS/Atom feeds, sitemaps, robots.txt, share metadata and the JSON API."""
from newsroom.distribution import api, feeds, metadata, sitemaps  # noqa: F401  (routes register)
