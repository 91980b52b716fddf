"""`flask db upgrade` builds exactly what the models describe, and keeps the rows it finds."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from journal import create_app
from journal.domain.checkin import parse_checkin
from journal.extensions import db
from journal.models import CheckinRow, ShareLink, ShareLinkNote, User
from tests.conftest import BACKENDS, database_url
from tests.payloads import day


def _client_id_index_sql() -> str:
    """The stored definition of the check-ins' client_id index (compare_metadata does not
    compare an index's WHERE clause, so the partial part is checked here)."""
    query = (
        "SELECT sql FROM sqlite_master WHERE name = 'uq_checkins_client_id'"
        if db.engine.dialect.name == "sqlite"
        else "SELECT indexdef FROM pg_indexes WHERE indexname = 'uq_checkins_client_id'"
    )
    with db.engine.connect() as connection:
        return str(connection.exec_driver_sql(query).scalar_one())


@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrade_then_no_drift(backend: str, tmp_path: Any, request: pytest.FixtureRequest) -> None:
    app = create_app({"DATABASE_URL": database_url(backend, tmp_path, request), "SECRET_KEY": "x"})
    with app.app_context():
        try:
            upgrade()
            with db.engine.connect() as connection:
                diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
            assert diff == []
            assert "client_id IS NOT NULL" in _client_id_index_sql()
            downgrade(revision="base")
            upgrade()
        finally:
            downgrade(revision="base")
            with db.engine.begin() as connection:
                connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
            db.engine.dispose()


@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrade_keeps_rows_that_reference_a_rebuilt_table(
    backend: str, tmp_path: Any, request: pytest.FixtureRequest
) -> None:
    # 7d3e9a41c2b8 rebuilds `checkins` on SQLite (batch mode); a share link's notes point at
    # check-ins with ON DELETE CASCADE, so a rebuild with foreign keys on would delete them.
    app = create_app({"DATABASE_URL": database_url(backend, tmp_path, request), "SECRET_KEY": "x"})
    made = datetime(2026, 3, 10, 7, tzinfo=UTC)
    with app.app_context():
        try:
            upgrade(revision="aeb891f53c77")
            user = User(email="a@example.org", password_hash="x", created_at=made)
            db.session.add(user)
            db.session.flush()
            checkin = parse_checkin(day(), on=date(2026, 3, 10)).checkin
            assert checkin is not None
            row = CheckinRow.new(user.id, checkin, made)
            link = ShareLink(
                user_id=user.id,
                label="coach",
                token_hash="0" * 64,
                period_weeks=4,
                include_notes=True,
                created_at=made,
                expires_at=made + timedelta(days=30),
            )
            db.session.add_all([row, link])
            db.session.flush()
            db.session.add(ShareLinkNote(link_id=link.id, checkin_id=row.id))
            db.session.commit()
            db.session.remove()

            upgrade()
            with db.engine.connect() as connection:
                assert connection.exec_driver_sql("SELECT count(*) FROM share_link_notes").scalar()
                assert connection.exec_driver_sql("SELECT count(*) FROM checkins").scalar() == 1
                if backend == "sqlite":  # pooled connections still enforce foreign keys
                    assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        finally:
            db.session.remove()
            downgrade(revision="base")
            with db.engine.begin() as connection:
                connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
            db.engine.dispose()
