"""`flask db upgrade` builds exactly what the models describe, and keeps the rows it finds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import insert, select

from journal import create_app
from journal.extensions import db
from journal.models import CheckinRow, ShareLink, ShareLinkNote, User
from tests.conftest import BACKENDS, database_url
from tests.domain.scenario_builder import default_day


def _client_id_index_sql() -> str:
    """The stored definition of the check-ins' client_id index (compare_metadata does not
    compare an index's WHERE clause, so the partial part is checked here)."""
    query = (
        "SELECT sql FROM sqlite_master WHERE name = 'uq_checkins_client_id'"
        if db.engine.dialect.name == "sqlite"
        else "SELECT indexdef FROM pg_indexes WHERE indexname = 'uq_checkins_client_id' "
        "AND schemaname = current_schema()"
    )
    with db.engine.connect() as connection:
        return str(connection.exec_driver_sql(query).scalar_one())


@pytest.fixture(params=BACKENDS)
def migrated(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[str]:
    """An app context on an empty database of each backend, for the test to migrate; its
    schema is taken down again afterwards. Yields the backend's name."""
    url = database_url(request.param, tmp_path, request)
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "x"})
    with app.app_context():
        # The run's PostgreSQL schema keeps the other tests' tables (tests/conftest.py).
        db.drop_all()
        try:
            yield request.param
        finally:
            db.session.remove()
            downgrade(revision="base")
            with db.engine.begin() as connection:
                connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
            db.engine.dispose()


def test_upgrade_then_no_drift(migrated: str) -> None:
    upgrade()
    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert diff == []
    assert "client_id IS NOT NULL" in _client_id_index_sql()
    downgrade(revision="base")
    upgrade()


def test_upgrade_keeps_rows_that_reference_a_rebuilt_table(migrated: str) -> None:
    # 7d3e9a41c2b8 rebuilds `checkins` on SQLite (batch mode); a share link's notes point at
    # check-ins with ON DELETE CASCADE, so a rebuild with foreign keys on would delete them.
    made = datetime(2026, 3, 10, 7, tzinfo=UTC)
    upgrade(revision="aeb891f53c77")
    # The columns `users` had at that revision: the ORM would write the later ones too.
    user_id = db.session.execute(
        insert(User.__table__).values(email="a@example.org", password_hash="x", created_at=made)
    ).inserted_primary_key[0]
    row = CheckinRow.new(user_id, default_day(1), made)
    link = ShareLink(
        user_id=user_id,
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
        assert connection.exec_driver_sql("SELECT count(*) FROM share_link_notes").scalar() == 1
        assert connection.exec_driver_sql("SELECT count(*) FROM checkins").scalar() == 1
        if migrated == "sqlite":  # the pooled connection enforces foreign keys again
            assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_accounts_made_before_the_confirmation_count_as_confirmed(migrated: str) -> None:
    """Issue 19: reminder e-mails go only to confirmed addresses. Accounts from before there
    was a way to confirm are taken as confirmed (since they were made), so that the reminders
    people set up keep coming; new accounts confirm by the mailed link."""
    upgrade(revision="7d3e9a41c2b8")
    made = "'2026-03-10 07:00:00.000000'" if migrated == "sqlite" else "'2026-03-10 07:00:00+00'"
    with db.engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO users (email, password_hash, language, timezone, session_token, created_at)"
            f" VALUES ('a@example.org', 'x', 'nl', 'Europe/Amsterdam', 't', {made})"
        )
    upgrade()
    user = db.session.scalar(select(User))
    assert user is not None
    assert user.email_verified_at == user.created_at == datetime(2026, 3, 10, 7, tzinfo=UTC)
    db.session.remove()
