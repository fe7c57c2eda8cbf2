"""The editorial desk: stories, sections and outlets, for editors (and admins)."""
from newsroom.editors import (  # noqa: F401  (routes)
    articles, media, media_picker, outlets, sections, writing,
)
