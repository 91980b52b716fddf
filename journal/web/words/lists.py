"""Phrases joined into one sentence the way the reader's language does it."""

from __future__ import annotations

from collections.abc import Iterable

from babel.lists import format_list
from flask_babel import get_locale


def joined(phrases: Iterable[object]) -> str:
    """'a, b and c' in the active locale ('a, b en c' in Dutch); '' for none."""
    items = [str(p) for p in phrases]
    return format_list(items, locale=get_locale()) if items else ""
