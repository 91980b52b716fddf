"""A raw answer as the form, the diary CSV and the JSON API hand it over, before validation.

One field arrives as a string, as a list (a repeated form field, a JSON array) or not at all;
a set answer may also come as one ';'-joined string, as the CSV and the database write it.
"""

from __future__ import annotations

from collections.abc import Sequence

RawValue = str | Sequence[str] | None


def as_text(value: RawValue) -> str:
    """The answer as one stripped string ("" when absent)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    # A repeated form field: the last one the user touched wins.
    return value[-1].strip() if value else ""


def as_items(value: RawValue) -> list[str]:
    """A set answer's parts, stripped, without empty ones."""
    if value is None:
        return []
    parts = value.split(";") if isinstance(value, str) else list(value)
    return [p.strip() for p in parts if p.strip()]


def storable(text: str) -> bool:
    """Whether a text can be stored: no NUL (PostgreSQL's text refuses it) and nothing that
    cannot be encoded as UTF-8 (a lone surrogate, which JSON can carry as "\\ud800")."""
    if "\x00" in text:
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
