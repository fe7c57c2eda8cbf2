"""Core statements run on the DBAPI cursor of the session's connection: the reply POST's lean
path.

SQLAlchemy's execution path costs about 80–120 µs of Python a statement (the statement's cache
key, its parameters processed, an execution context, a result object). On the reply POST that
was three times what SQLite took to run its four statements and commit. A
:class:`DriverStatement` is compiled by SQLAlchemy once per dialect (an INSERT once per set of
columns). Each run converts its parameters with the statement's own bind processors, so a
datetime, an enum or a JSON value is stored exactly as SQLAlchemy stores it, and rows come back
through the columns' result processors. It runs in the session's transaction
(``db.session.connection()``), so the session's commit or rollback covers it. A failure is
raised as SQLAlchemy's own ``DBAPIError``, parameters hidden and a lost connection
invalidated, so the error handlers (newsroom/errors.py) treat it like any other.

What this path leaves out is the engine's events and echo: :data:`executed` (a blinker signal)
is sent each statement's text instead, when anything listens (the tests count statements so).
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from blinker import Namespace
from sqlalchemy import exc
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.selectable import ReturnsRows

#: Sent with ``statement`` (its SQL text) and ``parameters`` (as the driver gets them) before
#: each :class:`DriverStatement` runs.
executed = Namespace().signal("driver-sql-executed")


class _Compiled(NamedTuple):
    sql: str
    order: tuple[str, ...] | None  #: the parameters' names in order (positional paramstyle)
    bind: dict[str, Callable[[Any], Any]]  #: a given parameter's name → its bind processor
    constants: dict[str, Any]  #: the statement's own parameters, processed
    #: each column's result processor; None when no column has one (rows come back as read)
    result: tuple[Callable[[Any], Any] | None, ...] | None


class DriverStatement:
    """A Core SELECT, or INSERT … RETURNING, run straight on the driver's cursor."""

    def __init__(self, statement: ReturnsRows) -> None:
        self.statement = statement
        #: An INSERT is compiled for the columns a run gives; anything else once per dialect.
        self._by_columns = isinstance(statement, Insert)
        self._compiled: dict[tuple, _Compiled] = {}

    def rows(self, connection: Connection, parameters: Mapping[str, Any]) -> list[tuple]:
        """Run with ``parameters`` (by bound parameter, or for an INSERT by column) on
        ``connection`` (the session's: ``db.session.connection()``); return every row."""
        dialect = connection.dialect
        columns = tuple(sorted(parameters)) if self._by_columns else None
        key = (dialect.name, dialect.driver, columns)
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = _compile(self.statement, dialect, columns,
                                                      parameters)
        values = dict(compiled.constants)
        for name, process in compiled.bind.items():
            values[name] = process(parameters[name])
        arguments = values if compiled.order is None else tuple(values[n] for n in compiled.order)
        if executed.receivers:
            executed.send(self, statement=compiled.sql, parameters=arguments)
        cursor = connection.connection.cursor()
        try:
            cursor.execute(compiled.sql, arguments)
            rows = cursor.fetchall() if cursor.description else []
        except dialect.loaded_dbapi.Error as error:
            raise _wrapped(error, connection, cursor, compiled.sql) from error
        finally:
            cursor.close()
        if compiled.result is None:
            return rows
        return [tuple(value if process is None else process(value)
                      for process, value in zip(compiled.result, row)) for row in rows]


def _compile(statement: ReturnsRows, dialect: Dialect, columns: tuple[str, ...] | None,
             parameters: Mapping) -> _Compiled:
    """The statement compiled for ``dialect`` (an INSERT for ``columns``), with what running
    it on the cursor needs.

    ``parameters`` (a first run's) name what each run gives; the statement's own values (a
    literal compared with, an INSERT's scalar column default) are processed here, once.
    """
    keys = list(columns) if columns is not None else None
    compiled = statement.compile(dialect=dialect, column_keys=keys)
    if compiled.post_compile_params or compiled.literal_execute_params:
        raise ValueError("a statement with expanding parameters cannot be run as driver SQL")
    own = {column.key: column for column in getattr(compiled, "insert_prefetch", ())}
    constants, bind = {}, {}
    for parameter, name in compiled.bind_names.items():
        process = parameter.type.dialect_impl(dialect).bind_processor(dialect) or _same
        if name in parameters:
            bind[name] = process
        elif name in own:
            if not own[name].default.is_scalar:
                raise ValueError(f"{name}: its default is computed; pass it")
            constants[name] = process(own[name].default.arg)
        else:
            constants[name] = process(parameter.effective_value)
    result = tuple(column.type.dialect_impl(dialect).result_processor(dialect, None)
                   for column in statement.exported_columns)
    order = tuple(compiled.positiontup) if compiled.positional else None
    return _Compiled(compiled.string, order, bind, constants, result if any(result) else None)


def _same(value: Any) -> Any:
    return value


def _wrapped(error: Exception, connection: Connection, cursor, sql: str) -> exc.DBAPIError:
    """``error`` as SQLAlchemy raises it; a connection it reports lost is invalidated."""
    dialect = connection.dialect
    lost = dialect.is_disconnect(error, connection.connection.dbapi_connection, cursor)
    if lost:
        connection.invalidate(error)
    return exc.DBAPIError.instance(sql, None, error, dialect.loaded_dbapi.Error,
                                   hide_parameters=True, connection_invalidated=lost,
                                   dialect=dialect)
