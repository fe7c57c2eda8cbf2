"""The moderation desk: the comment queue, decisions, replies, bans, blocklists, audit log."""
from flask import Blueprint

from newsroom.auth import require_roles
from newsroom.models import Role

blueprint = Blueprint("moderation", __name__, url_prefix="/moderation")
require_roles(blueprint, Role.MODERATOR)

from newsroom.moderation import views  # noqa: E402,F401  (routes register on import)
