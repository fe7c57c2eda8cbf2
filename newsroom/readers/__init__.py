"""The reader's site: home, sections, article pages and the reply form."""
from flask import Blueprint

blueprint = Blueprint("readers", __name__)

from newsroom.readers import views  # noqa: E402,F401  (routes register on import)
