"""The one place the web layer and the scheduler read the clock.

Tests freeze time with the `FIXED_NOW` config value; the domain never calls this, it is handed
`today`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context


def now_utc() -> datetime:
    if has_app_context():
        fixed: datetime | None = current_app.config.get("FIXED_NOW")
        if fixed is not None:
            return fixed if fixed.tzinfo else fixed.replace(tzinfo=UTC)
    return datetime.now(UTC)


def local_today(timezone: str) -> date:
    """Today in the person's own time zone: 'today' for a check-in is their morning."""
    return now_utc().astimezone(ZoneInfo(timezone)).date()
