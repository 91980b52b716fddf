"""Statements that differ between SQLite and PostgreSQL, written once for both."""

from __future__ import annotations

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.sql.dml import Insert

from journal.extensions import db


def dialect() -> str:
    """The name of the session's database dialect: "sqlite" or "postgresql"."""
    return str(db.session.get_bind().dialect.name)


def insert_ignore(table: Table) -> Insert:
    """INSERT ... ON CONFLICT DO NOTHING: a row that clashes with a unique key is left out.

    Core has no dialect-neutral form of it; both dialects spell it alike, from their own
    `insert`.
    """
    if dialect() == "postgresql":
        return pg_insert(table).on_conflict_do_nothing()
    return sqlite_insert(table).on_conflict_do_nothing()
