"""The editorial desk: stories, sections and outlets, for editors (and admins)."""
from newsroom.editors import articles, media, outlets, sections, writing  # noqa: F401  (routes)
