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
    register_uploads(app)
    register_extensions(app)
    register_security(app)
    register_jobs(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    register_proxy_fix(app)
    return app


def register_input_rules(app: Flask) -> None:
    from newsroom.inputs import init_app

    init_app(app)  # before any route is added: it replaces the ``int`` converter


def register_uploads(app: Flask) -> None:
    """Requests that admit an image's size on the upload route and 1 MiB elsewhere."""
    from newsroom.media.uploads import UploadRequest

    app.request_class = UploadRequest  # a CleanRequest too: after the input rules


def register_extensions(app: Flask) -> None:
    """The database, migrations, CSRF, sign-in and rate limits; then the helpers built on them."""
    from newsroom import models  # noqa: F401  (every table on the metadata)
    from newsroom.auth import throttle  # the package registers the user loader
    from newsroom.content import versions  # noqa: F401  (the comments counters' listener)
    from newsroom.comments import fragments  # noqa: F401  (the comment fragments' listener)
    from newsroom import migrating, session_cookie
    from newsroom.extensions import csrf, db, limiter, login_manager
    from newsroom.readers import front_cache, pagecache

    session_cookie.init_app(app)
    db.init_app(app)
    migrating.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to continue."
    limiter.init_app(app)
    throttle.init_app(app)  # failed sign-ins, on the rate limiter's storage
    pagecache.init_app(app)  # rendered article pages for anonymous readers
    front_cache.init_app(app)  # their finished answers, replayed before Flask runs


def register_security(app: Flask) -> None:
    from newsroom import security

    security.init_app(app)


def register_jobs(app: Flask) -> None:
    """Background jobs (huey) and the mail they send."""
    from newsroom import mail, tasks  # noqa: F401  (the jobs register on import)
    from newsroom import accounts  # noqa: F401  (the password-reset mail job registers)
    from newsroom.jobs import queue
    from newsroom.subscriptions import notices, outcomes  # noqa: F401  (the mail jobs register)
    from newsroom.mail import reports  # noqa: F401  (the illegal-report alert registers)

    mail.init_app(app)
    queue.init_app(app)
    app.jinja_env.globals["notifications_offered"] = mail.enabled


def register_blueprints(app: Flask) -> None:
    """Every area of the site; each package imports all of its view modules itself."""
    from newsroom.accounts.blueprint import blueprint as accounts
    from newsroom.admin.blueprint import blueprint as admin
    from newsroom.auth.blueprint import blueprint as auth
    from newsroom.distribution.api import api
    from newsroom.distribution.blueprint import blueprint as distribution
    from newsroom.editors.blueprint import blueprint as editors
    from newsroom.media.blueprint import blueprint as media
    from newsroom.health import blueprint as health
    from newsroom.moderation.blueprint import blueprint as moderation
    from newsroom.moderation.blueprint import picks_blueprint as picks
    from newsroom.readers.blueprint import blueprint as readers
    from newsroom.subscriptions.blueprint import blueprint as subscriptions

    app.register_blueprint(auth)
    app.register_blueprint(accounts)
    app.register_blueprint(readers)
    app.register_blueprint(distribution)
    app.register_blueprint(api)
    app.register_blueprint(moderation)
    app.register_blueprint(picks)
    app.register_blueprint(editors)
    app.register_blueprint(media)
    app.register_blueprint(subscriptions)
    app.register_blueprint(admin)
    app.register_blueprint(health)


def register_errorhandlers(app: Flask) -> None:
    """Our own page (or JSON, under /api/) for every error."""
    from newsroom.errors import init_app
    from newsroom.importing.redirects import init_app as init_legacy_redirects

    init_app(app)
    init_legacy_redirects(app)  # before the 404 page: imported WordPress posts' old URLs


def register_template_helpers(app: Flask) -> None:
    """Filters and globals every template may use."""
    from newsroom.templating import init_app

    init_app(app)


def register_commands(app: Flask) -> None:
    """``flask demo``, ``users``, ``syndication``, ``commenters``, ``comments``, ``worker`` and
    ``import``."""
    from newsroom.auth.commands import users
    from newsroom.comments.cli import comments
    from newsroom.commands import init_app
    from newsroom.importing.cli import importing
    from newsroom.jobs.cli import worker_command
    from newsroom.privacy.cli import commenters
    from newsroom.syndication.cli import syndication

    init_app(app)
    app.cli.add_command(users)
    app.cli.add_command(syndication)
    app.cli.add_command(commenters)
    app.cli.add_command(comments)
    app.cli.add_command(worker_command)
    app.cli.add_command(importing)


def register_proxy_fix(app: Flask) -> None:
    """Behind N trusted proxies, take the client address, scheme and host from their headers."""
    trusted = app.config["PROXY_FIX"]
    if trusted:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted, x_proto=trusted, x_host=trusted)
