"""``flask --app wsgi comments render``: fill the stored fragments after an upgrade or a change
of template or timezone (until then pages render those comments themselves)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from newsroom.comments.fragments import stale_fragment_ids, store_fragments
from newsroom.extensions import db

comments = AppGroup("comments", help="Readers' comments: their stored HTML.")


@comments.command("render")
@click.option("--batch", default=500, show_default=True, help="Comments per transaction.")
def render_command(batch: int) -> None:
    """Render the stored HTML of every approved comment whose fragment is missing or was
    rendered with another template or timezone; prints how many."""
    written = 0
    while ids := stale_fragment_ids(max(batch, 1)):
        written += store_fragments(ids)
        db.session.commit()
    click.echo(f"{written} comment fragment(s) rendered.")
