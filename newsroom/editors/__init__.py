"""The editorial desk: stories, sections and outlets, for editors (and admins)."""
from newsroom.editors import (  # noqa: F401  (routes)
    articles, media, outlets, rights, sections, writing,
)
