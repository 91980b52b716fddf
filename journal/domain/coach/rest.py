"""DOMAIN D.2's rest profile: where rest did and did not become recovery, by rest type.

A record with two rest types splits its minutes evenly between them, so the per-type minutes
add up to the total; its one rest_recharged answer counts for both types (the form asks once).
The ratio by type is the share of days with that type on which the rest recharged
(rest_recharged ≥ 3), the D.1 "rest that recharged" measure per type.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from fractions import Fraction

from journal.domain.checkin import CheckIn, RestType
from journal.domain.coach.model import RestProfile, RestTypeRow
from journal.domain.coach.period import between
from journal.domain.metrics import mean as mean_of
from journal.domain.metrics import recharged, rest_day


def rest_profile(records: Sequence[CheckIn], first: date, last: date) -> RestProfile:
    """Rest by type over first … last: where rest did and did not become recovery."""
    span = between(records, first, last)
    rest_days = [r for r in span if rest_day(r)]
    recharged_days = sum(1 for r in rest_days if recharged(r))
    by_type = []
    for rest_type in RestType:
        used = [r for r in span if r.rest_minutes > 0 and rest_type in r.rest_types]
        if not used:
            continue
        answers = [r.rest_recharged for r in used if r.rest_recharged is not None]
        days_recharged = sum(1 for r in used if recharged(r))
        by_type.append(
            RestTypeRow(
                rest_type=rest_type,
                days=len(used),
                minutes=sum(
                    (Fraction(r.rest_minutes, len(r.rest_types)) for r in used), Fraction(0)
                ),
                recharged_days=days_recharged,
                ratio=Fraction(days_recharged, len(used)),
                mean_recharged=mean_of(answers),
            )
        )
    return RestProfile(
        first=first,
        last=last,
        rest_days=len(rest_days),
        total_minutes=sum(r.rest_minutes for r in span),
        recharged_days=recharged_days,
        ratio=Fraction(recharged_days, len(rest_days)) if rest_days else None,
        by_type=tuple(by_type),
    )
