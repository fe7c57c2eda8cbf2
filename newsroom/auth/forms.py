"""The sign-in form (sign-out needs no fields: CSRFProtect checks its token app-wide)."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired, Length

#: Long enough for any passphrase; short enough that hashing it costs nothing unusual.
PASSWORD_MAX = 1024


def _normalise_email(value: str | None) -> str | None:
    return value.strip().lower() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    """Email and password; ``next`` carries the page the visitor was sent here from."""

    email = EmailField(
        "Email",
        validators=[DataRequired("Please enter your email address."), Length(max=254)],
        filters=[_normalise_email],
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Please enter your password."), Length(max=PASSWORD_MAX)],
    )
    next = HiddenField()

