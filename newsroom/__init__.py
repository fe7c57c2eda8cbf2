"""Newsroom: a publishing backend for syndicated stories and moderated reader comments."""
from __future__ import annotations

from pathlib import Path

from flask import Flask

from newsroom.config import load_config


def create_app(config: dict | None = None, instance_path: str | None = None) -> Flask:
    """Build the application; ``config`` replaces the environment (tests pass their own)."""
    app = Flask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_path=instance_path,
    )
    load_config(app, config)
    register_input_rules(app)
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    register_proxy_fix(app)
    return app


def register_input_rules(app: Flask) -> None:
    from newsroom.inputs import init_app

    init_app(app)  # before any route is added: it replaces the ``int`` converter


def register_extensions(app: Flask) -> None:
    from newsroom import auth, models  # noqa: F401  (user loader; every table on the metadata)
    from newsroom.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    limiter.init_app(app)


def register_blueprints(app: Flask) -> None:
    from newsroom.auth import blueprint as auth
    from newsroom.moderation import blueprint as moderation
    from newsroom.distribution import blueprint as distribution
    from newsroom.distribution.api import api
    from newsroom.editors import blueprint as editors
    from newsroom.health import blueprint as health
    from newsroom.readers import blueprint as readers

    app.register_blueprint(auth)
    app.register_blueprint(readers)
    app.register_blueprint(distribution)
    app.register_blueprint(api)
    app.register_blueprint(moderation)
    app.register_blueprint(editors)
    app.register_blueprint(health)


def register_errorhandlers(app: Flask) -> None:
    from newsroom.errors import init_app

    init_app(app)


def register_template_helpers(app: Flask) -> None:
    from newsroom.templating import init_app

    init_app(app)


def register_commands(app: Flask) -> None:
    from newsroom.auth.commands import users
    from newsroom.commands import init_app
    from newsroom.privacy import commenters
    from newsroom.syndication.cli import syndication

    init_app(app)
    app.cli.add_command(users)
    app.cli.add_command(syndication)
    app.cli.add_command(commenters)


def register_proxy_fix(app: Flask) -> None:
    """Behind N trusted proxies, take the client address, scheme and host from their headers."""
    trusted = app.config["PROXY_FIX"]
    if trusted:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted, x_proto=trusted, x_host=trusted)
