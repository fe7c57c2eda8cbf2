"""The editorial desk: stories, sections and outlets, for editors (and admins)."""
from newsroom.editors import (  # noqa: F401  (routes)
    articles, corrections, media, media_picker, outlets, rights, sections, source_updates,
    writing,
)
