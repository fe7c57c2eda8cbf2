"""The desk's lists: bans (and lifting them), the blocklist, and the audit log."""
from __future__ import annotations

from datetime import date, timedelta

from flask import flash, redirect, render_template, request, url_for

from sqlalchemy import select

from newsroom.auth import current_staff
from newsroom.dates import day_start
from newsroom.extensions import db
from newsroom.models import Ban, BlocklistEntry, BlocklistKind, Role, User, utcnow
from newsroom.moderation import actions
from newsroom.moderation.blueprint import back_to, blueprint
from newsroom.moderation.forms import BlocklistForm, PostForm
from newsroom.moderation.queries import AuditFilters, audit_page, bans_page, blocklist_page
from newsroom.moderation.wording import AUDIT_ACTIONS

BANS_PER_PAGE = 50
BLOCKLIST_PER_PAGE = 100
AUDIT_PER_PAGE = 50


@blueprint.get("/bans")
def bans():
    """Bans in force, or (``?show=past``) those lifted or expired."""
    show = "past" if request.args.get("show") == "past" else "active"
    now = utcnow()
    page = bans_page(show, now, request.args.get("page", 1, type=int), BANS_PER_PAGE)
    return render_template(
        "moderation/bans.html",
        page=page,
        show=show,
        now=now,
        ban_state=actions.ban_state,
        here=url_for(".bans", show=show if show == "past" else None,
                     page=page.page if page.page > 1 else None),
    )


@blueprint.post("/bans/<int:ban_id>/lift")
def lift_ban(ban_id: int):
    """Lift a ban now; the lifting is noted in the audit log."""
    ban = db.get_or_404(Ban, ban_id)
    form = PostForm()
    if form.validate() and actions.lift_ban(ban, current_staff()):
        db.session.commit()
        flash(f"Lifted the ban on the {ban.kind.value} {ban.value}.", "success")
    else:
        flash("That ban was already lifted.", "info")
    return redirect(back_to(form.next.data or url_for(".bans")))


def _kind_filter() -> BlocklistKind | None:
    value = request.args.get("kind", "")
    return BlocklistKind(value) if value in {kind.value for kind in BlocklistKind} else None


@blueprint.route("/blocklist", methods=["GET", "POST"])
def blocklist():
    """The words, emails, IP addresses and domains that mark a comment as spam; add one."""
    form = BlocklistForm()
    if form.validate_on_submit():
        kind = BlocklistKind(form.kind.data)
        try:
            entry = actions.add_blocklist_entry(
                kind, form.value.data, current_staff()
            )
        except actions.ModerationError as error:
            form.value.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"Added the {kind.value} {entry.value} to the blocklist.", "success")
            return redirect(url_for(".blocklist", kind=request.args.get("kind") or None))
    kind = _kind_filter()
    page = blocklist_page(kind, request.args.get("page", 1, type=int), BLOCKLIST_PER_PAGE)
    status = 400 if form.errors else 200
    return render_template(
        "moderation/blocklist.html", form=form, page=page, kind=kind,
        kinds=list(BlocklistKind), here=request.full_path.rstrip("?"),
    ), status


@blueprint.post("/blocklist/<int:entry_id>/remove")
def remove_blocklist_entry(entry_id: int):
    """Take an entry off the blocklist; the removal is noted in the audit log."""
    entry = db.get_or_404(BlocklistEntry, entry_id)
    form = PostForm()
    if form.validate():
        what = f"{entry.kind.value} {entry.value}"
        actions.remove_blocklist_entry(entry, current_staff())
        db.session.commit()
        flash(f"Removed the {what} from the blocklist.", "success")
    return redirect(back_to(form.next.data or url_for(".blocklist")))


def _audit_filters() -> tuple[AuditFilters, dict[str, str]]:
    """The audit log's filters from the query string, and the arguments that keep them."""
    args = {name: request.args.get(name, "").strip() for name in ("moderator", "action", "day")}
    moderator = int(args["moderator"]) if args["moderator"].isdigit() else None
    action = args["action"] if args["action"] in dict(AUDIT_ACTIONS) else ""
    try:
        day = date.fromisoformat(args["day"]) if args["day"] else None
    except ValueError:
        flash("Please give the day as a date, like 2026-12-01.", "error")
        day = None
    start = day_start(day) if day else None
    end = day_start(day + timedelta(days=1)) if day else None
    kept = {"moderator": str(moderator) if moderator else "", "action": action,
            "day": day.isoformat() if day else ""}
    return AuditFilters(moderator, action, start, end), {k: v for k, v in kept.items() if v}


@blueprint.get("/audit")
def audit():
    """Every comment decision and every other staff action, newest first; filtered."""
    filters, kept = _audit_filters()
    page = audit_page(request.args.get("page", 1, type=int), AUDIT_PER_PAGE, filters)
    staff = db.session.scalars(
        select(User).where(User.role.in_([Role.MODERATOR, Role.ADMIN])).order_by(User.name)
    ).all()
    return render_template("moderation/audit.html", page=page, kept=kept, staff=staff,
                           actions=AUDIT_ACTIONS)
