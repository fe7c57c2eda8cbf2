"""``flask --app wsgi users …``: create staff accounts, list them, change roles, (de)activate."""
from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from newsroom.auth.passwords import MIN_LENGTH, WeakPassword, check_password
from newsroom.extensions import db
from newsroom.models import AuditEntry, Role, User

ROLE_CHOICE = click.Choice([role.value for role in Role])

users = AppGroup("users", help="Manage staff accounts.")


@users.command("create")
@click.argument("email")
@click.option("--role", type=ROLE_CHOICE, required=True, help="What the account may do.")
@click.option("--name", default="", help="The name shown on the desks.")
@click.option(
    "--password",
    help=f"At least {MIN_LENGTH} characters, not a common one; asked for (hidden) when left out.",
)
def create_user(email: str, role: str, name: str, password: str | None) -> None:
    """Create a staff account for EMAIL."""
    email = _valid_email(email)
    if _find(email) is not None:
        raise click.ClickException(f"A staff account with the email {email} already exists.")
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    _check_password(password)
    user = User(email=email, name=name.strip(), role=Role(role))
    user.set_password(password)
    db.session.add(user)
    _audit("user-create", email, role=role)
    db.session.commit()
    click.echo(f"Created {role} account {email} (id {user.id}).")


@users.command("list")
def list_users() -> None:
    """List staff accounts and their last sign-in."""
    accounts = db.session.scalars(select(User).order_by(User.id)).all()
    if not accounts:
        click.echo("No staff accounts yet. Create one with: flask users create EMAIL --role ROLE")
        return
    rows = [("ID", "EMAIL", "NAME", "ROLE", "ACTIVE", "LAST LOGIN")]
    rows += [_row(user) for user in accounts]
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    for row in rows:
        click.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


@users.command("set-role")
@click.argument("email")
@click.argument("role", type=ROLE_CHOICE)
def set_role(email: str, role: str) -> None:
    """Give the account EMAIL another ROLE, from its next request."""
    user = _existing(email)
    previous, user.role = user.role, Role(role)
    if previous is user.role:
        click.echo(f"{user.email} is already {role}; nothing changed.")
        return
    _audit("user-set-role", user.email, previous=previous.value, role=role)
    db.session.commit()
    click.echo(f"{user.email} is now {role} (was {previous.value}).")


@users.command("deactivate")
@click.argument("email")
def deactivate(email: str) -> None:
    """Stop EMAIL signing in, ending open sessions."""
    _set_active(_existing(email), False)


@users.command("activate")
@click.argument("email")
def activate(email: str) -> None:
    """Let a deactivated EMAIL sign in again."""
    _set_active(_existing(email), True)


def _set_active(user: User, active: bool) -> None:
    state = "active" if active else "deactivated"
    if user.active is active:
        click.echo(f"{user.email} is already {state}; nothing changed.")
        return
    user.active = active
    if not active:
        user.end_sessions()
    _audit("user-activate" if active else "user-deactivate", user.email)
    db.session.commit()
    click.echo(f"{user.email} is now {state}.")


def _valid_email(email: str) -> str:
    """The address in the form it is stored (lower case), or a one-line refusal."""
    # Imported here: email_validator costs ~0.1 s, and only this command needs it at start-up.
    from email_validator import EmailNotValidError, validate_email

    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise click.ClickException(f"{email!r} is not a valid email address: {error}") from None


def _check_password(password: str) -> None:
    try:
        check_password(password)
    except WeakPassword as error:
        raise click.ClickException(str(error)) from None


def _find(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def _existing(email: str) -> User:
    user = _find(email)
    if user is None:
        raise click.ClickException(f"No staff account has the email {email.strip().lower()}.")
    return user


def _row(user: User) -> tuple[str, ...]:
    last_login = "never"
    if user.last_login_at:
        last_login = user.last_login_at.strftime("%Y-%m-%d %H:%M UTC")
    return (str(user.id), user.email, user.name or "-", user.role.value,
            "yes" if user.active else "no", last_login)


def _audit(action: str, email: str, **detail: str) -> None:
    """Record an account change made from the command line (no signed-in actor)."""
    db.session.add(AuditEntry(action=action, subject=email, detail={"via": "cli", **detail}))
