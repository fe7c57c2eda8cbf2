"""The reader's site: home, sections, article pages and the reply form."""
from flask import Blueprint

blueprint = Blueprint("readers", __name__)

from newsroom.readers import pagecache, views  # noqa: E402,F401  (routes register on import)

blueprint.record_once(lambda state: pagecache.init_app(state.app))
