"""Numbers and durations as the pages show them, in the page's language."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from flask_babel import format_decimal


def _decimal(value: Fraction | int) -> Decimal:
    exact = Fraction(value)
    return Decimal(exact.numerator) / Decimal(exact.denominator)


def number(value: Fraction | int | None, places: int = 1) -> str:
    """Rounded half up (6.25 → 6.3; in Dutch 6,3); '–' for nothing."""
    if value is None:
        return "–"
    quantum = Decimal(1).scaleb(-places)
    rounded = _decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    pattern = "0" if places == 0 else "0." + "0" * places
    return str(format_decimal(rounded, format=pattern))


def signed(value: Fraction | int | None, places: int = 1) -> str:
    if value is None:
        return "–"
    text = number(abs(Fraction(value)), places)
    if set(text) <= {"0", ",", "."}:
        return text  # no sign on a change that rounds to zero
    return ("+" if value > 0 else "−") + text


def clock(minutes: Fraction | int | None, sign: bool = False) -> str:
    """Minutes as h:mm, rounded to the minute; with `sign` as a change (+0:20, −1:05)."""
    if minutes is None:
        return "–"
    exact = Fraction(minutes)
    whole = int(_decimal(abs(exact)).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    text = f"{whole // 60}:{whole % 60:02d}"
    if not sign or whole == 0:
        return text
    return ("+" if exact > 0 else "−") + text
