"""The editorial desk's blueprint at /editor, for editors (and admins)."""
from flask import Blueprint

from newsroom.auth import require_roles
from newsroom.models import Role

blueprint = Blueprint("editors", __name__, url_prefix="/editor")
require_roles(blueprint, Role.EDITOR)
