"""`flask db upgrade` on an empty database builds exactly what the models describe."""

from __future__ import annotations

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from journal import create_app
from journal.extensions import db
from tests.conftest import BACKENDS, database_url


@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrade_then_no_drift(backend: str, tmp_path: Any, request: pytest.FixtureRequest) -> None:
    app = create_app({"DATABASE_URL": database_url(backend, tmp_path, request), "SECRET_KEY": "x"})
    with app.app_context():
        try:
            upgrade()
            with db.engine.connect() as connection:
                diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
            assert diff == []
            downgrade(revision="base")
            upgrade()
        finally:
            downgrade(revision="base")
            with db.engine.begin() as connection:
                connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
            db.engine.dispose()
