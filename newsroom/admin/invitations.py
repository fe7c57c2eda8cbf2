"""Admin pages for staff invitations: invite by email and role, the list, resend and revoke."""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from newsroom.accounts.forms import InviteForm
from newsroom.accounts.invitations import InvitationRefused, invite, resend, revoke
from newsroom.admin.blueprint import blueprint
from newsroom.admin.views import ActionForm
from newsroom.auth import current_staff
from newsroom.extensions import db
from newsroom.models import Invitation, Role, utcnow
from newsroom.pagination import paginate_request

PER_PAGE = 50
EXPIRED_FORM = "The page had expired; please try again."


def _page(form: InviteForm, status: int = 200):
    page = paginate_request(
        select(Invitation).options(joinedload(Invitation.invited_by))
        .order_by(Invitation.accepted_at.is_not(None), Invitation.revoked_at.is_not(None),
                  Invitation.created_at.desc(), Invitation.id.desc()),
        PER_PAGE,
    )
    return render_template("admin/invitations.html", form=form, page=page, now=utcnow(),
                           action_form=ActionForm(formdata=None)), status


@blueprint.get("/invitations")
def invitations():
    """The invite form, then invitations: pending and expired first, newest first."""
    return _page(InviteForm(formdata=None))


@blueprint.post("/invitations")
def create_invitation():
    """Invite an address as a role; refused (form kept) when it has an account or invitation."""
    form = InviteForm()
    if not form.validate():
        return _page(form, 400)
    try:
        invitation = invite(form.email.data, Role(form.role.data), current_staff())
    except InvitationRefused as refused:
        db.session.rollback()
        form.email.errors = [str(refused)]
        return _page(form, 409)
    db.session.commit()
    flash(f"An invitation is on its way to {invitation.email} ({invitation.role.value}).",
          "success")
    return redirect(url_for(".invitations"))


@blueprint.post("/invitations/<int:invitation_id>/resend")
def resend_invitation(invitation_id: int):
    """A new link by mail; the one sent before stops working."""
    return _act(invitation_id, resend, "A new link is on its way to {email}; the old one "
                                       "no longer works.")


@blueprint.post("/invitations/<int:invitation_id>/revoke")
def revoke_invitation(invitation_id: int):
    """The invitation's link stops working."""
    return _act(invitation_id, revoke, "The invitation for {email} is revoked.")


def _act(invitation_id: int, change, done: str):
    invitation = db.get_or_404(Invitation, invitation_id)
    if not ActionForm().validate_on_submit():
        flash(EXPIRED_FORM, "error")
        return redirect(url_for(".invitations"))
    try:
        change(invitation, current_staff())
    except InvitationRefused as refused:
        db.session.rollback()
        flash(str(refused), "error")
        return redirect(url_for(".invitations"))
    db.session.commit()
    flash(done.format(email=invitation.email), "success")
    return redirect(url_for(".invitations"))
