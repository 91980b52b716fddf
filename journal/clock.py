"""The one place the web layer and the scheduler read the clock.

Tests freeze time with the `FIXED_NOW` config value; the domain never calls this, it is handed
`today`.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from flask import current_app, has_app_context

FALLBACK_ZONE = "Europe/Amsterdam"


def now_utc() -> datetime:
    if has_app_context():
        fixed: datetime | None = current_app.config.get("FIXED_NOW")
        if fixed is not None:
            return fixed if fixed.tzinfo else fixed.replace(tzinfo=UTC)
    return datetime.now(UTC)


def local_today(timezone: str) -> date:
    """Today in the person's own time zone: 'today' for a check-in is their morning."""
    return now_utc().astimezone(ZoneInfo(timezone)).date()


def zone_of(name: str) -> ZoneInfo:
    """The person's zone; a name the system no longer knows falls back instead of failing."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(FALLBACK_ZONE)


@cache
def time_zones() -> tuple[str, ...]:
    """Every time zone name this machine knows, sorted. Kept: available_timezones() walks the
    time zone database on every call (about 9 ms)."""
    return tuple(sorted(available_timezones()))
