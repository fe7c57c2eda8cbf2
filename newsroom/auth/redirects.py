"""Where a signed-in member of staff is sent: a safe ``next`` path, or the desk of their role."""
from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import request

from newsroom.models import Role, User

#: Each role's desk; admins use both and start at the editorial desk.
HOME_PATHS = {
    Role.MODERATOR: "/moderation/",
    Role.EDITOR: "/editor/",
    Role.ADMIN: "/editor/",
}

#: Whitespace, control characters and backslashes: browsers "repair" URLs containing them in
#: ways (``/\\evil.example``, ``/\t/evil.example``) that can turn a path into another host.
_UNSAFE_CHARACTERS = re.compile(r"[\x00-\x20\x7f-\x9f\\]")
_MAX_LENGTH = 2000


def safe_next(target: str | None) -> str | None:
    """``target`` when it is a path on this site (``/…``, no scheme, no host); otherwise None."""
    if not target or len(target) > _MAX_LENGTH or _UNSAFE_CHARACTERS.search(target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def home_path(user: User) -> str:
    """The desk ``user`` starts at, under the application's root."""
    return request.script_root + HOME_PATHS[user.role]


def destination(user: User, target: str | None) -> str:
    """Where to send ``user`` after signing in: ``target`` when safe, else their desk."""
    return safe_next(target) or home_path(user)
