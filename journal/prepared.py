"""Statements compiled once per database and run as the driver's SQL: for the hot path only.

Every signed-in request asks who is signed in, and every saved check-in marks the person's flags
stale. SQLAlchemy's `Connection.execute` builds the statement's cache key and looks it up on
every call, which for these costs more than running the statement itself; the compiled SQL
never changes, so it is made once per dialect and handed to `Connection.exec_driver_sql`. That
keeps SQLAlchemy's transaction, error wrapping, events and logging; only compiling is skipped.
(Not for the check-in's INSERT: its cache key is cheap, and a text statement's RETURNING
result costs more to set up than a compiled one's, measured with callgrind.)

Parameters go through the bind processors of the statement's own types, as `execute` would
(a date becomes SQLite's ISO text, an aware datetime goes through `UTCDateTime`). Rows come
back as the driver gives them, so a statement whose result columns would need converting is
refused when it is first run, not silently returned unconverted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Connection, CursorResult, Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler

Processor = Callable[[Any], Any] | None


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

    def execute(self, connection: Connection, values: Mapping[str, Any]) -> CursorResult[Any]:
        dialect = connection.dialect
        plan = self._plans.get(dialect.name)
        if plan is None:
            plan = self._plans[dialect.name] = self._plan(dialect)
        if values.keys() != plan.processors.keys():
            # execute() would fail on a missing value; an extra one would be silently lost.
            raise KeyError(f"expected values for {sorted(plan.processors)}, got {sorted(values)}")
        return connection.exec_driver_sql(plan.sql, plan.parameters(values))

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
