"""The reader's site: home, sections, article pages and the reply form."""
from newsroom.readers import form_session, views  # noqa: F401  (routes register on import)
