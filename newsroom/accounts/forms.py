"""The forms of staff accounts: a reset link, a new password, the profile, invitations."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from newsroom.auth.passwords import MAX_LENGTH, MIN_LENGTH, WeakPassword, check_password

#: How often a digest of the pending queue may come: minutes → label.
DIGEST_CHOICES = [SelectChoice(minutes, label) for minutes, label in (
    (0, "Never"), (15, "Every 15 minutes"), (30, "Every 30 minutes"), (60, "Every hour"),
    (240, "Every 4 hours"), (1440, "Once a day"))]


def _normalise_email(value: str | None) -> str | None:
    return value.strip().lower() if isinstance(value, str) else value


def _strip(value: str | None) -> str | None:
    return value.strip() if isinstance(value, str) else value


def _strong(form, field) -> None:
    try:
        check_password(field.data or "")
    except WeakPassword as error:
        raise ValidationError(str(error)) from None


def _address(missing: str) -> EmailField:
    """A staff member's email address, lower-cased; ``missing`` is said when none is given."""
    return EmailField(
        "Email",
        validators=[DataRequired(missing), Length(max=254),
                    Email("Please enter a valid email address.", check_deliverability=False)],
        filters=[_normalise_email],
    )


class ForgotForm(FlaskForm):
    """The address of the account whose password is forgotten."""

    email = _address("Please enter your email address.")


def _chosen_password(label: str) -> PasswordField:
    """A password being chosen: required, strong, within the length the hasher takes."""
    return PasswordField(
        label,
        validators=[DataRequired("Please choose a password."), Length(max=MAX_LENGTH), _strong],
        description=f"At least {MIN_LENGTH} characters; not a commonly used password.",
    )


def _password_again(label: str) -> PasswordField:
    """The same password typed a second time."""
    return PasswordField(
        label,
        validators=[DataRequired("Please type the password again."),
                    EqualTo("password", "The two passwords are not the same.")],
    )


class NewPasswordForm(FlaskForm):
    """A new password, typed twice."""

    password = _chosen_password("New password")
    confirm = _password_again("New password again")


class PasswordChangeForm(NewPasswordForm):
    """The current password, then a new one typed twice."""

    current_password = PasswordField(
        "Current password",
        validators=[DataRequired("Please enter your current password."), Length(max=MAX_LENGTH)],
    )


class ProfileForm(FlaskForm):
    """The name shown on the desks and the staff notifications (columns on the user)."""

    name = StringField("Name", validators=[Length(max=120)], filters=[_strip],
                       description="Shown on the desks; your email address is used when empty.")
    digest_minutes = SelectField("Digest of comments waiting for moderation",
                                 choices=DIGEST_CHOICES, coerce=int,
                                 description="Sent only while the queue is not empty.")
    alert_illegal_reports = BooleanField("Email me when a reader reports illegal content")
    alert_failed_fetches = BooleanField("Email me when an outlet's feed fails 3 times in a row")


#: The roles an admin may invite someone as, with what each may do.
ROLE_CHOICES = [SelectChoice(value, label) for value, label in (
    ("editor", "Editor: writes and publishes stories, manages outlets and images"),
    ("moderator", "Moderator: moderates reader comments"),
    ("admin", "Admin: everything, including staff and background jobs"))]


class InviteForm(FlaskForm):
    """An admin invites someone: their address and the role their account will have."""

    email = _address("Please enter the address to invite.")
    role = SelectField("Role", choices=ROLE_CHOICES, default="editor", validate_choice=True)


class AcceptInvitationForm(NewPasswordForm):
    """The invitee's name and their password, typed twice."""

    name = StringField("Your name", validators=[DataRequired("Please enter your name."),
                                                Length(max=120)], filters=[_strip],
                       description="Shown to other staff on the desks.")
    password = _chosen_password("Password")
    confirm = _password_again("Password again")
