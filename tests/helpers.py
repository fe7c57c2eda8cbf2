"""Helpers every test folder may use: a signed-in session, a local server in a thread, the
statements a block runs."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from socketserver import BaseServer

from sqlalchemy import event

from newsroom import driver_sql
from newsroom.extensions import db


def sign_in_session(client, user_id: str) -> None:
    """Sign ``client`` in as Flask-Login's session would; ``user_id`` is ``User.get_id()``
    (the account's id and its current session token)."""
    with client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True


@contextmanager
def in_thread(server: BaseServer, poll_interval: float = 0.05) -> Iterator[BaseServer]:
    """Serve ``server`` from a daemon thread while the block runs; then stop and close it."""
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": poll_interval}, daemon=True
    )
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def run_due_jobs(app) -> None:
    """Run the due jobs as ``flask worker --burst`` does; then read the database afresh."""
    result = app.test_cli_runner().invoke(args=["worker", "--burst"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()


@contextmanager
def recorded_statements(
    *, texts: bool = False, also: list[tuple[str, object]] = (),
) -> Iterator[list]:
    """Every SQL statement the block runs, in order, as (text, parameters) or with ``texts``
    as its text alone: those through SQLAlchemy's engine and those on the driver's cursor
    (newsroom/driver_sql.py). ``also``: more (engine event, listener) pairs for the block.
    """
    statements: list = []

    def record(statement, parameters):
        statements.append(statement if texts else (statement, parameters))

    def through_engine(conn, cursor, statement, parameters, *args):
        record(statement, parameters)

    def on_the_cursor(sender, statement, parameters):
        record(statement, parameters)

    listeners = [("before_cursor_execute", through_engine), *also]
    for name, listener in listeners:
        event.listen(db.engine, name, listener)
    driver_sql.executed.connect(on_the_cursor)
    try:
        yield statements
    finally:
        driver_sql.executed.disconnect(on_the_cursor)
        for name, listener in listeners:
            event.remove(db.engine, name, listener)
