"""The admin area's blueprint at /admin: admins only."""
from __future__ import annotations

from flask import Blueprint

from newsroom.auth import require_roles

blueprint = Blueprint("admin", __name__, url_prefix="/admin")
require_roles(blueprint)  # no role named: admins only
