"""``flask users …``: create, list, set-role, deactivate and activate staff accounts."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from newsroom.extensions import db
from newsroom.models import AuditEntry, Role, User, utcnow

GOOD = "a long enough passphrase"


def _user(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def _one_line_error(result) -> str:
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("Error: ")
    return lines[0]


def test_create_with_a_password(runner):
    result = runner.invoke(args=[
        "users", "create", "Ada@Newsroom.Example", "--role", "moderator",
        "--name", "Ada Quill", "--password", GOOD,
    ])

    assert result.exit_code == 0, result.output
    assert "Created moderator account ada@newsroom.example" in result.output
    user = _user("ada@newsroom.example")
    assert (user.name, user.role, user.active) == ("Ada Quill", Role.MODERATOR, True)
    assert user.check_password(GOOD) and user.password_hash.startswith("scrypt:")
    audit = db.session.scalar(select(AuditEntry))
    assert (audit.action, audit.subject) == ("user-create", "ada@newsroom.example")


def test_create_prompts_hidden_with_confirmation(runner):
    result = runner.invoke(
        args=["users", "create", "ed@newsroom.example", "--role", "editor"],
        input=f"{GOOD}\n{GOOD}\n",
    )

    assert result.exit_code == 0, result.output
    assert "Password:" in result.output and "Repeat for confirmation:" in result.output
    assert GOOD not in result.output  # hidden: never echoed
    assert _user("ed@newsroom.example").check_password(GOOD)


def test_create_prompt_asks_again_when_the_two_entries_differ(runner):
    result = runner.invoke(
        args=["users", "create", "ed@newsroom.example", "--role", "editor"],
        input=f"{GOOD}\nsomething else entirely\n{GOOD}\n{GOOD}\n",
    )

    assert result.exit_code == 0, result.output
    assert "do not match" in result.output


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "two@@newsroom.example", "x y@n.example"])
def test_create_refuses_a_malformed_email(runner, email):
    result = runner.invoke(args=["users", "create", email, "--role", "editor", "--password", GOOD])

    assert "is not a valid email address" in _one_line_error(result)
    assert db.session.scalar(select(User)) is None


def test_create_refuses_a_duplicate_whatever_its_case(runner, make):
    make.user(Role.EDITOR, email="ed@newsroom.example")
    db.session.commit()

    result = runner.invoke(
        args=["users", "create", "ED@newsroom.example", "--role", "admin", "--password", GOOD]
    )

    assert "already exists" in _one_line_error(result)


def test_create_refuses_a_short_password(runner):
    result = runner.invoke(
        args=["users", "create", "ed@newsroom.example", "--role", "editor", "--password", "short"]
    )

    assert "at least 12 characters" in _one_line_error(result)
    assert _user("ed@newsroom.example") is None


def test_create_refuses_a_short_prompted_password(runner):
    result = runner.invoke(
        args=["users", "create", "ed@newsroom.example", "--role", "editor"], input="short\nshort\n"
    )

    assert "at least 12 characters" in result.output.strip().splitlines()[-1]
    assert result.exit_code != 0 and _user("ed@newsroom.example") is None


def test_create_needs_a_known_role(runner):
    result = runner.invoke(
        args=["users", "create", "ed@newsroom.example", "--role", "owner", "--password", GOOD]
    )

    assert result.exit_code == 2 and "'owner' is not one of" in result.output


def test_list_shows_every_account(runner, make):
    make.user(Role.EDITOR, email="ed@newsroom.example", name="Ed Itor", last_login_at=utcnow())
    make.user(Role.MODERATOR, email="mod@newsroom.example", active=False)
    db.session.commit()

    result = runner.invoke(args=["users", "list"])

    lines = result.output.splitlines()
    assert result.exit_code == 0
    assert lines[0].split() == ["ID", "EMAIL", "NAME", "ROLE", "ACTIVE", "LAST", "LOGIN"]
    assert lines[1].split()[1:6] == ["ed@newsroom.example", "Ed", "Itor", "editor", "yes"]
    assert lines[1].endswith("UTC")
    assert lines[2].split()[1:] == ["mod@newsroom.example", "-", "moderator", "no", "never"]


def test_list_when_there_is_nobody(runner):
    result = runner.invoke(args=["users", "list"])

    assert result.exit_code == 0 and "No staff accounts yet" in result.output


def test_set_role(runner, make):
    make.user(Role.EDITOR, email="ed@newsroom.example")
    db.session.commit()

    result = runner.invoke(args=["users", "set-role", "ed@newsroom.example", "moderator"])

    assert result.exit_code == 0 and "now moderator (was editor)" in result.output
    assert _user("ed@newsroom.example").role is Role.MODERATOR
    assert db.session.scalar(select(AuditEntry.action)) == "user-set-role"


def test_set_role_of_an_unknown_account(runner):
    result = runner.invoke(args=["users", "set-role", "nobody@newsroom.example", "admin"])

    assert "No staff account has the email nobody@newsroom.example" in _one_line_error(result)


def test_deactivate_and_activate(runner, make):
    make.user(Role.EDITOR, email="ed@newsroom.example")
    db.session.commit()

    off = runner.invoke(args=["users", "deactivate", "ed@newsroom.example"])
    again = runner.invoke(args=["users", "deactivate", "ed@newsroom.example"])
    assert _user("ed@newsroom.example").active is False
    on = runner.invoke(args=["users", "activate", "ed@newsroom.example"])

    assert (off.exit_code, again.exit_code, on.exit_code) == (0, 0, 0)
    assert "now deactivated" in off.output and "already deactivated" in again.output
    assert _user("ed@newsroom.example").active is True
    actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["user-deactivate", "user-activate"]


def test_deactivate_an_unknown_account(runner):
    result = runner.invoke(args=["users", "deactivate", "nobody@newsroom.example"])

    assert "No staff account" in _one_line_error(result)


def test_deactivated_account_cannot_sign_in(runner, make, client):
    make.user(Role.EDITOR, email="ed@newsroom.example")
    db.session.commit()
    runner.invoke(args=["users", "deactivate", "ed@newsroom.example"])

    response = client.post(
        "/login", data={"email": "ed@newsroom.example", "password": "correct horse battery"}
    )

    assert response.status_code == 400
