"""Command-line commands: ``flask --app wsgi demo`` (``db`` comes from Flask-Migrate)."""
from __future__ import annotations

import click
from flask import Flask

from newsroom.extensions import db
from newsroom.models import utcnow


@click.command("demo")
def demo_command() -> None:
    """Load the demo newsroom; running it again adds nothing."""
    from newsroom.demo import load_demo

    created = load_demo(utcnow())
    db.session.commit()
    if any(created.values()):
        click.echo(", ".join(f"{count} {kind}" for kind, count in created.items()) + " created.")
    else:
        click.echo("The demo newsroom is already loaded; nothing changed.")


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_command)
