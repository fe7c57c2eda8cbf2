"""Flask extensions, created unbound and bound to the app in ``create_app``."""
from __future__ import annotations

import sqlite3

from flask import request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import event
from sqlalchemy.engine import Engine

from newsroom.models.base import Base

class _SQLAlchemy(SQLAlchemy):
    """Flask-SQLAlchemy whose ``paginate`` reads ``?page=``/``?per_page=`` strictly."""

    def paginate(self, select, *, page=None, per_page=None, max_per_page=None, **options):
        from newsroom.inputs import page_number

        if page is None:
            page = page_number()
        if per_page is None:
            per_page = page_number("per_page", default=20, maximum=max_per_page or 100)
        return super().paginate(select, page=page, per_page=per_page,
                                max_per_page=max_per_page, **options)


db = _SQLAlchemy(model_class=Base)
migrate = Migrate()
csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, _record) -> None:
    """Make SQLite enforce foreign keys and let readers work while one writer writes."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def client_ip() -> str:
    """The address the request came from (set ProxyFix in front of a proxy)."""
    return request.remote_addr or "unknown"
