"""The admin area: background jobs (pending, running, failed; retry) and the development outbox."""
from flask import Blueprint

from newsroom.auth import require_roles

blueprint = Blueprint("admin", __name__, url_prefix="/admin")
require_roles(blueprint)  # no role named: admins only

from newsroom.admin import views  # noqa: E402,F401  (routes register on import)
