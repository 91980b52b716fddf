"""Where a benchmark keeps its data: a temporary SQLite file, or a private PostgreSQL schema.

Either way the benchmark never touches tables it did not make, and leaves nothing behind.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa


@contextmanager
def postgresql_schema(base_url: str) -> Iterator[str]:
    """A private schema on the server, dropped afterwards; the URL puts it on the search path."""
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(base_url)
    with engine.begin() as connection:
        connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{base_url}{'&' if '?' in base_url else '?'}options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@contextmanager
def database(postgresql_url: str | None) -> Iterator[str]:
    """A URL for the benchmark's database: PostgreSQL when a server URL is given, else SQLite."""
    if postgresql_url:
        with postgresql_schema(postgresql_url) as url:
            yield url
        return
    with tempfile.TemporaryDirectory(prefix="bench-") as folder:
        yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
