"""``flask --app wsgi import wordpress|disqus FILE``: bring in an export, all or nothing."""
from __future__ import annotations

from pathlib import Path
from typing import Callable
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from newsroom.extensions import db
from newsroom.importing.tally import BadImportFile, Tally


@click.group("import")
def importing() -> None:
    """Bring in a WordPress or Disqus export (running one twice changes nothing)."""


@importing.command("wordpress")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--timezone", "zone_name", metavar="ZONE",
              help="The WordPress site's IANA zone, for dates the export gives only in local "
                   "time (drafts). Default: NEWSROOM_TIMEZONE, else UTC.")
def wordpress_command(file: Path, zone_name: str | None) -> None:
    """Import a WordPress export (WXR 1.1/1.2): posts, categories, comments, old URLs."""
    zone_name = zone_name or current_app.config.get("TIMEZONE") or "UTC"
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise click.ClickException(f"unknown time zone {zone_name!r}") from None
    from newsroom.importing import wordpress  # lxml loads only when an import runs

    _run(file, lambda tally: wordpress.import_wordpress(file, tally, zone), wordpress.KINDS)


@importing.command("disqus")
@click.argument("file", type=click.Path(path_type=Path))
def disqus_command(file: Path) -> None:
    """Import a Disqus XML export's comments onto the articles their threads link to."""
    from newsroom.importing import disqus

    _run(file, lambda tally: disqus.import_disqus(file, tally), disqus.KINDS)


def _run(file: Path, work: Callable[[Tally], None], kinds: tuple[str, ...]) -> None:
    """Do the import in one transaction: commit it all, or write nothing and say why."""
    tally = Tally()
    try:
        work(tally)
        db.session.commit()
    except BadImportFile as error:
        db.session.rollback()
        raise click.ClickException(f"{file}: {error}; nothing was imported") from None
    except SQLAlchemyError as error:
        db.session.rollback()
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        raise click.ClickException(f"{file}: the database refused the import ({reason}); "
                                   "nothing was imported") from None
    for line in tally.lines(kinds):
        click.echo(line)
