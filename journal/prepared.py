"""Statements compiled once per database and run on the driver's cursor: for the hot path only.

Saving a check-in from the form runs three statements: who is signed in, the INSERT of the day,
and marking the person's flags stale. Through `Connection.execute` each pays for SQLAlchemy's
statement cache lookup, execution context and result object, which together cost more than
running the statement (a tenth of the whole request, measured with callgrind). The compiled SQL
never changes, so it is made once per dialect and run on a cursor of the connection the session
already holds, inside the session's transaction: the session's commit or rollback covers it as
it covers everything else.

What stays as with `execute`: parameters go through the bind processors of the statement's own
types (a date becomes SQLite's ISO text, an aware datetime goes through `UTCDateTime`), and a
driver error comes out as SQLAlchemy's exception (`IntegrityError`, `OperationalError`, ...),
with a lost connection invalidated. What does not: SQLAlchemy's execute events and its echo log
do not see these statements. Rows come back as the driver gives them (plain tuples), so a
statement whose result columns would need converting is refused when it is first run, not
silently returned unconverted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any] | None
_T = TypeVar("_T")


def _row_count(cursor: Any) -> int:
    return int(cursor.rowcount)


def _first_row(cursor: Any) -> tuple[Any, ...] | None:
    row: tuple[Any, ...] | None = cursor.fetchone()  # both drivers give a plain tuple
    return row


@dataclass(frozen=True, slots=True)
class _Plan:
    sql: str
    # Positional drivers (SQLite's "?") take the values in order; a name used twice is sent
    # twice. Named drivers (psycopg's "%(name)s") take each name once.
    names: Sequence[str]
    processors: Mapping[str, Processor]  # the values the caller gives, by name
    constants: Mapping[str, Any]  # values written in the statement itself, converted
    positional: bool

    def parameters(self, values: Mapping[str, Any]) -> Sequence[Any] | dict[str, Any]:
        converted = dict(self.constants)
        for name, process in self.processors.items():
            value = values[name]
            converted[name] = value if process is None else process(value)
        if self.positional:
            return tuple(converted[name] for name in self.names)
        return converted


class Prepared:
    """One statement, compiled on first use for each dialect it runs on."""

    def __init__(self, statement: ClauseElement) -> None:
        self._statement = statement
        self._plans: dict[str, _Plan] = {}

    def execute(self, connection: Connection, values: Mapping[str, Any]) -> int:
        """Run an INSERT, UPDATE or DELETE; returns how many rows it changed."""
        return self._run(connection, values, _row_count)

    def first(self, connection: Connection, values: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """Run a SELECT and return its first row, or None."""
        return self._run(connection, values, _first_row)

    def _run(
        self, connection: Connection, values: Mapping[str, Any], read: Callable[[Any], _T]
    ) -> _T:
        dialect = connection.dialect
        plan = self._plans.get(dialect.name)
        if plan is None:
            plan = self._plans[dialect.name] = self._plan(dialect)
        if values.keys() != plan.processors.keys():
            # execute() would fail on a missing value; an extra one would be silently lost.
            raise KeyError(f"expected values for {sorted(plan.processors)}, got {sorted(values)}")
        parameters = plan.parameters(values)
        driver = connection.connection  # the session's own connection, in its transaction
        try:
            cursor = driver.cursor()
            try:
                cursor.execute(plan.sql, parameters)
                return read(cursor)
            finally:
                cursor.close()
        except dialect.loaded_dbapi.Error as error:
            lost = dialect.is_disconnect(error, driver, None)
            if lost:
                connection.invalidate(error)
            raise DBAPIError.instance(
                plan.sql,
                parameters,
                error,
                dialect.loaded_dbapi.Error,
                connection_invalidated=lost,
                dialect=dialect,
            ) from error

    def _plan(self, dialect: Dialect) -> _Plan:
        statement = self._statement
        for column in getattr(statement, "exported_columns", ()):  # SELECT or RETURNING
            if column.type.dialect_impl(dialect).result_processor(dialect, None) is not None:
                raise TypeError(f"{column.key}: its {column.type!r} values need converting")
        compiled = statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        processors: dict[str, Processor] = {}
        constants: dict[str, Any] = {}
        for bind, name in compiled.bind_names.items():
            process = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if bind.required:
                processors[name] = process
            else:  # a literal in the statement, such as the 1 of `column + 1`
                value = bind.effective_value
                constants[name] = value if process is None else process(value)
        names = list(compiled.positiontup or ()) if dialect.positional else []
        return _Plan(str(compiled), names, processors, constants, dialect.positional)
