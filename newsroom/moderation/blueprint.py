"""The moderation desk's blueprint at /moderation: its role check, navigation and way back."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, url_for

from newsroom.auth import require_roles
from newsroom.auth.redirects import safe_next
from newsroom.models import Role
from newsroom.moderation.actions import ROW_ACTIONS, bannable_email
from newsroom.moderation.featuring import PICK_ACTIONS
from newsroom.moderation import wording
from newsroom.moderation.queries import COUNT_CAP, QUEUE_TABS, pending_count

blueprint = Blueprint("moderation", __name__, url_prefix="/moderation")
require_roles(blueprint, Role.MODERATOR)
#: Featuring comments (editors' picks) is open to editors too, so it has a blueprint of its own
#: under the same prefix (newsroom/moderation/picks.py).
picks_blueprint = Blueprint("picks", __name__, url_prefix="/moderation")
require_roles(picks_blueprint, Role.MODERATOR, Role.EDITOR)


@blueprint.context_processor
def desk_navigation():
    """The pending count and tab names every desk page's navigation shows; the rows' helpers."""
    return {"pending_count": pending_count, "queue_tabs": QUEUE_TABS, "count_cap": COUNT_CAP,
            "bannable_email": bannable_email, "held_reason": wording.held_reason,
            "audit_action": wording.audit_action, "audit_details": wording.audit_details,
            "audit_subject": wording.audit_subject, "kind_words": wording.kind_words,
            "blocklist_tab": wording.blocklist_tab, "count_word": wording.count_word, "change_words": wording.change_words,
            "row_actions": ROW_ACTIONS, "pick_actions": PICK_ACTIONS,
            "report_reason": wording.report_reason}


def back_to(target: str | None, desks: tuple[str, ...] = ("/moderation/",),
            default: str = "moderation.queue") -> str:
    """``target`` when it is a safe path (see ``safe_next``) on one of ``desks``, else
    ``default``'s URL (the queue)."""
    path = urlsplit(safe_next(target) or "").path
    if path.startswith(desks) and ".." not in path.split("/"):
        return target
    return url_for(default)
