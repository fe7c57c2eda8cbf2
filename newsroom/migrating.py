"""Flask-Migrate, loaded on first use: Alembic costs half a second to import, and most
commands (``flask --help``, ``worker``, ``syndication refresh``) never migrate anything.

``init_app`` registers a ``db`` command that imports Flask-Migrate when it is run, and puts a
stand-in at ``app.extensions["migrate"]`` that does the same when something (``migrations/env.py``,
``flask_migrate.upgrade()`` in tests) first reads it.
"""
from __future__ import annotations

import click
from flask import Flask


def init_app(app: Flask, db, directory: str) -> None:
    app.extensions["migrate"] = _LazyConfig(app, db, directory)
    app.cli.add_command(_LazyDbGroup(app))


def _load(app: Flask):
    """Bind the real Flask-Migrate to ``app`` once; its ``db`` command group."""
    from flask_migrate import Migrate
    from flask_migrate.cli import db as db_group

    config = app.extensions.get("migrate")
    if isinstance(config, _LazyConfig):
        Migrate().init_app(app, config.db, directory=config.directory)
    return db_group


class _LazyConfig:
    """Stands in for Flask-Migrate's ``_MigrateConfig`` until an attribute is read."""

    def __init__(self, app: Flask, db, directory: str):
        self.app, self.db, self.directory = app, db, directory

    def __getattr__(self, name: str):
        _load(self.app)
        return getattr(self.app.extensions["migrate"], name)


class _LazyDbGroup(click.Group):
    """``flask db …``: listed in ``--help`` for free, Flask-Migrate's own group once run."""

    def __init__(self, app: Flask):
        super().__init__("db", help="Perform database migrations.")
        self.app = app

    def make_context(self, info_name, args, parent=None, **extra):
        return _load(self.app).make_context(info_name, args, parent=parent, **extra)
