"""``flask --app wsgi syndication ingest|refresh``: bring in stories from outlets' feeds."""
from __future__ import annotations

import click
from sqlalchemy import func, select

from newsroom.extensions import db
from newsroom.models import Article, IngestRun, Outlet
from newsroom.slugs import unique_slug
from newsroom.syndication.fetching import is_http_url
from newsroom.syndication.ingest import ingest_outlet, run_ingest

MAX_OUTLET_NAME = 120
MAX_URL = 500  # the outlet's homepage and feed URL columns


@click.group("syndication")
def syndication() -> None:
    """Bring in stories from outlets' RSS and Atom feeds."""


@syndication.command("ingest")
@click.argument("source")
@click.option("--outlet", "outlet_name", required=True, help="The outlet's name.")
@click.option("--outlet-url", help="The outlet's homepage; creates the outlet when it is new.")
@click.option("--publish", is_flag=True, help="Publish new stories at once instead of drafts.")
def ingest_command(source: str, outlet_name: str, outlet_url: str | None, publish: bool) -> None:
    """Ingest the feed at SOURCE (an http(s) URL or a file path) for an outlet."""
    outlet, is_new = _find_or_create_outlet(outlet_name.strip(), outlet_url, source)
    report = run_ingest(outlet, source, publish=True if publish else None)
    run = report.run
    if run.error:
        if is_new:
            db.session.rollback()
        else:
            db.session.commit()
        raise click.ClickException(f"could not ingest {source}: {run.error}")
    db.session.commit()
    for warning in report.warnings:
        click.echo(f"warning: {warning}")
    click.echo(summary(run, withdrawn_count(outlet.id)))


@syndication.command("refresh")
def refresh_command() -> None:
    """Ingest every outlet that has a feed URL; exit non-zero if any failed."""
    with_feed = select(Outlet).where(Outlet.feed_url.is_not(None), Outlet.feed_url != "")
    outlets = db.session.scalars(with_feed.order_by(Outlet.name)).all()
    if not outlets:
        click.echo("No outlet has a feed URL.")
        return
    failed = 0
    for outlet in outlets:
        name, outlet_id = outlet.name, outlet.id
        run = ingest_outlet(outlet)
        db.session.commit()
        failed += bool(run.error)
        click.echo(f"{name}: {summary(run, withdrawn_count(outlet_id))}")
    if failed:
        raise click.ClickException(f"{failed} of {len(outlets)} outlets failed")


def withdrawn_count(outlet_id: int) -> int:
    """The outlet's stories marked "Source withdrawn?" (their original answered 404 or 410)."""
    query = select(func.count(Article.id)).where(
        Article.outlet_id == outlet_id, Article.withdrawn_at.is_not(None),
        Article.deleted_at.is_(None),
    )
    return db.session.scalar(query) or 0


def summary(run: IngestRun, withdrawn: int = 0) -> str:
    """One line about a run: its counts (source updates and withdrawals when there are any),
    or its error."""
    if run.error:
        return f"failed: {run.error}"
    suffix = f", {withdrawn} source withdrawn?" if withdrawn else ""
    if run.not_modified:
        return "not modified" + suffix
    line = f"{run.created} created, {run.updated} updated, {run.skipped} skipped"
    if run.source_updates:
        applied = run.source_updates_applied
        noun = "source update" if run.source_updates == 1 else "source updates"
        line += (
            f", {run.source_updates} {noun} ({applied} applied, "
            f"{run.source_updates - applied} pending)"
        )
    return line + suffix


def _find_or_create_outlet(name: str, url: str | None, source: str) -> tuple[Outlet, bool]:
    """The outlet called ``name``, or a new one when ``--outlet-url`` is given."""
    outlet = db.session.scalar(select(Outlet).where(Outlet.name == name))
    if outlet is not None:
        return outlet, False
    if not url:
        raise click.ClickException(f"no outlet named {name!r}; give --outlet-url to create it")
    if not name or len(name) > MAX_OUTLET_NAME:
        raise click.ClickException(f"an outlet name needs 1 to {MAX_OUTLET_NAME} characters")
    url = url.strip()
    if not is_http_url(url) or len(url) > MAX_URL:
        raise click.ClickException(
            f"--outlet-url must be an http(s) URL of at most {MAX_URL} characters, "
            f"not {url[:200]!r}"
        )
    outlet = Outlet(
        name=name,
        slug=unique_slug(name, column=Outlet.slug),
        homepage_url=url,
        feed_url=source if is_http_url(source) and len(source) <= MAX_URL else None,
    )
    db.session.add(outlet)
    db.session.flush()
    return outlet, True
