"""The editorial desk: stories, sections and outlets, for editors (and admins)."""
from flask import Blueprint

from newsroom.auth import require_roles
from newsroom.models import Role

blueprint = Blueprint("editors", __name__, url_prefix="/editor")
require_roles(blueprint, Role.EDITOR)

from newsroom.editors import articles, outlets, sections  # noqa: E402,F401  (routes register)
