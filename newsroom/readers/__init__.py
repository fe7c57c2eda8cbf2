"""The reader's site: home, sections, article pages, the reply form and reports."""
from newsroom.readers import form_session, reports, views  # noqa: F401  (routes register on import)
