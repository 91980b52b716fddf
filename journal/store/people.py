"""The database side of "Mijn mensen" (issue 21): the people on a map, the map's state, and
who a check-in's real contact was with. Every read is scoped to one person's `user_id`."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, func, select

from journal.clock import now_utc, zone_of
from journal.domain.checkin import Social
from journal.domain.people import (
    INNER_RINGS,
    ContactDay,
    Counts,
    Person,
    Ring,
    Step,
    counts,
)
from journal.extensions import db
from journal.models import CheckinContact, CheckinRow, SupportMap, SupportPerson


def people_of(user_id: int) -> list[SupportPerson]:
    """A person's map, in the order they added people."""
    return list(
        db.session.scalars(
            select(SupportPerson).where(SupportPerson.user_id == user_id).order_by(SupportPerson.id)
        )
    )


def people_count(user_id: int) -> int:
    query = select(func.count(SupportPerson.id)).where(SupportPerson.user_id == user_id)
    return int(db.session.scalar(query) or 0)


def person_of(user_id: int, person_id: int) -> SupportPerson | None:
    """One person on this user's map; someone else's is None, exactly like a missing one."""
    return db.session.scalar(
        select(SupportPerson).where(SupportPerson.id == person_id, SupportPerson.user_id == user_id)
    )


def map_of(user_id: int) -> SupportMap | None:
    return db.session.get(SupportMap, user_id)


def touch(user_id: int, reached: Step | None = None, *, changed: bool = True) -> SupportMap:
    """The person's map row, made when missing; `reached` only ever moves the step forward,
    and `changed` marks the map as updated now (the date the map page shows)."""
    row = map_of(user_id)
    now = now_utc()
    if row is None:
        row = SupportMap(user_id=user_id, step=int(reached or Step.WHO), updated_at=now)
        db.session.add(row)
    elif reached is not None and reached > row.step:
        row.step = int(reached)
    if changed:
        row.updated_at = now
    return row


def add_person(user_id: int, name: str, phone: str | None) -> SupportPerson:
    now = now_utc()
    person = SupportPerson(
        user_id=user_id, name=name, phone=phone, helps="", created_at=now, updated_at=now
    )
    db.session.add(person)
    touch(user_id)
    return person


def checkin_of(user_id: int, day: date) -> CheckinRow | None:
    return db.session.scalar(
        select(CheckinRow).where(CheckinRow.user_id == user_id, CheckinRow.date == day)
    )


def contact_ids(checkin_id: int) -> set[int]:
    return set(
        db.session.scalars(
            select(CheckinContact.person_id).where(CheckinContact.checkin_id == checkin_id)
        )
    )


def inner_people(user_id: int) -> list[SupportPerson]:
    """The people "met wie?" offers: the two inner circles, closest first."""
    rings = [int(ring) for ring in INNER_RINGS]
    return list(
        db.session.scalars(
            select(SupportPerson)
            .where(SupportPerson.user_id == user_id, SupportPerson.ring.in_(rings))
            .order_by(SupportPerson.ring, SupportPerson.id)
        )
    )


def set_contacts(user_id: int, checkin: CheckinRow, chosen: Collection[int]) -> None:
    """Who the check-in's real contact was with: only this user's inner-circle people count;
    anything else sent is ignored. Replaces what was there; the caller commits."""
    allowed = {p.id for p in inner_people(user_id)} & set(chosen)
    db.session.execute(delete(CheckinContact).where(CheckinContact.checkin_id == checkin.id))
    db.session.add_all(CheckinContact(checkin_id=checkin.id, person_id=pid) for pid in allowed)


def contact_days(user_id: int, first: date, last: date) -> list[ContactDay]:
    """The check-ins from `first` to `last` as contact days, with the rings of who with."""
    rows = db.session.execute(
        select(CheckinRow.date, CheckinRow.social_contact, SupportPerson.ring)
        .outerjoin(CheckinContact, CheckinContact.checkin_id == CheckinRow.id)
        .outerjoin(SupportPerson, SupportPerson.id == CheckinContact.person_id)
        .where(CheckinRow.user_id == user_id, CheckinRow.date.between(first, last))
    ).all()
    days: dict[date, tuple[bool, set[Ring]]] = {}
    for day, social, ring in rows:
        _, rings = days.setdefault(day, (social == Social.MEANINGFUL.value, set()))
        if ring in {r.value for r in Ring}:
            rings.add(Ring(ring))
    return [
        ContactDay(day, meaningful, frozenset(rings)) for day, (meaningful, rings) in days.items()
    ]


@dataclass(frozen=True)
class CoachView:
    """What a coach in scope sees of the map: counts and a date, never who."""

    counts: Counts
    updated_on: date


def coach_view(user_id: int, zone: str = "Europe/Amsterdam") -> CoachView | None:
    """The counts per ring and kind of help and the day the map last changed; None when
    the person has no one on a map. The caller checks the connection's include_people."""
    people = [p.to_domain() for p in people_of(user_id)]
    row = map_of(user_id)
    if not people or row is None:
        return None
    return CoachView(counts(people), row.updated_at.astimezone(zone_of(zone)).date())


def domain_people(user_id: int) -> list[Person]:
    return [p.to_domain() for p in people_of(user_id)]


def export_rows(user_id: int) -> list[tuple[Person, list[date]]]:
    """Everyone on the map with the days a check-in said the contact was with them."""
    tagged: dict[int, list[date]] = {}
    for person_id, day in db.session.execute(
        select(CheckinContact.person_id, CheckinRow.date)
        .join(CheckinRow, CheckinRow.id == CheckinContact.checkin_id)
        .where(CheckinRow.user_id == user_id)
        .order_by(CheckinRow.date)
    ):
        tagged.setdefault(person_id, []).append(day)
    return [(p, tagged.get(p.id, [])) for p in domain_people(user_id)]


def local_day(moment: datetime, zone: str) -> date:
    return moment.astimezone(zone_of(zone)).date()
