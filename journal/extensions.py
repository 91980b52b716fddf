"""Flask extensions, created unbound so that `create_app` can bind them to any app."""

from __future__ import annotations

import sqlite3
from typing import Any

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    # Named constraints let Alembic alter them later, also on SQLite (batch mode).
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_name)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


# A session lives for one request; expiring every object at commit would only make the next
# attribute read (the user's language for the "saved" message, say) query the row again.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Bound settings only; the storage comes from RATELIMIT_STORAGE_URI at init_app, and the limits
# with their keys from journal.web.rate_limits. A moving window, because a fixed one lets twice
# the limit through around the turn of a minute. When Redis is unreachable, count in memory
# (swallowing the error) rather than answer every login with a 500.
limiter = Limiter(
    key_func=get_remote_address,
    strategy="moving-window",
    key_prefix="hersteldagboek",
    swallow_errors=True,
    in_memory_fallback_enabled=True,
)

SQLITE_BUSY_TIMEOUT_MS = 5000
# Run on every new SQLite connection. WAL lets the reminder process read while the web process
# writes; foreign keys are off unless asked, and deleting an account relies on their cascade;
# synchronous=FULL makes an acknowledged check-in survive a power cut, not only a crash.
SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA foreign_keys=ON",
    f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
    "PRAGMA synchronous=FULL",
)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        for pragma in SQLITE_PRAGMAS:
            cursor.execute(pragma)
        cursor.close()
