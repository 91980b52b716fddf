"""Issue 21, "Mijn mensen": the support-network map, its five steps, one person's page,
"wie kan ik bellen?", the revisit card and "met wie?" after a check-in.

Thin: parse the form, check it with journal.domain.people, store it with
journal.store.people, render. Names and numbers travel only in form bodies and pages, never
in an address, so no request log line holds them (journal/web/log_redaction.py covers
addresses only).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from journal.clock import local_today, now_utc
from journal.domain.checkin import Social
from journal.domain.people import (
    MAX_PEOPLE,
    NOTE_MAX_CHARS,
    ContactByRing,
    HelpKind,
    Problem,
    Reach,
    Ring,
    Step,
    check_name,
    check_note,
    contact_by_ring,
    helps_to_text,
    normalize_phone,
    revisit_due,
    who_to_call,
)
from journal.extensions import db
from journal.models import CoachConnection, SupportPerson, User
from journal.store import people as store
from journal.web import parsing, people_map
from journal.web.words import people as words

bp = Blueprint("people", __name__)

ID = f"int(min=1, max={parsing.ROW_ID_MAX})"


def _page(template: str, status: int = 200, **context: Any) -> ResponseReturnValue:
    context.setdefault("legend", people_map.legend_mark)
    return render_template(template, words=words, Step=Step, **context), status


def _error(problem: Problem) -> str:
    return str(words.PROBLEMS[problem])


# --- The map -------------------------------------------------------------------------------


@bp.get("/people")
@login_required
def index() -> ResponseReturnValue:
    row = store.map_of(current_user.id)
    people = store.domain_people(current_user.id)
    if row is None and not people:
        return _page("people/start.html")
    today = local_today(current_user.timezone)
    updated = store.local_day(row.updated_at, current_user.timezone) if row else None
    dismissed = (
        store.local_day(row.revisit_dismissed_at, current_user.timezone)
        if row and row.revisit_dismissed_at
        else None
    )
    return _page(
        "people/map.html",
        people=people,
        drawing=people_map.drawing(people),
        map=row,
        updated=updated,
        step=Step(min(row.step, Step.DONE)) if row else Step.WHO,
        revisit=revisit_due(updated, dismissed, today),
    )


# --- The five steps ------------------------------------------------------------------------


@bp.route("/people/step/<int(min=1, max=5):number>", methods=["GET", "POST"])
@login_required
def step(number: int) -> ResponseReturnValue:
    current = Step(number)
    if request.method == "POST":
        return _save_step(current)
    store.touch(current_user.id, current, changed=False)
    db.session.commit()
    return _render_step(current)


def _render_step(
    current: Step,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    row = store.map_of(current_user.id)
    people = store.domain_people(current_user.id)
    if values is None:
        values = (
            {"note_available": row.note_available or "", "note_gaps": row.note_gaps or ""}
            if row
            else {}
        )
    return _page(
        f"people/step{int(current)}.html",
        status,
        current=current,
        following=Step(current + 1),
        people=people,
        values=values,
        errors=errors or {},
        full=len(people) >= MAX_PEOPLE,
        note_max=NOTE_MAX_CHARS,
        drawing=people_map.drawing(people) if current is Step.REFLECT else None,
    )


def _save_step(current: Step) -> ResponseReturnValue:
    form = request.form
    if current is Step.WHO:
        return _add_person(form)
    if current is Step.REFLECT:
        return _save_notes(form)
    for person in store.people_of(current_user.id):
        _apply(person, current, form, suffix=f"-{person.id}")
    store.touch(current_user.id, Step(current + 1))
    db.session.commit()
    return redirect(url_for("people.step", number=current + 1))


def _apply(person: SupportPerson, part: Step, form: MultiDict[str, str], suffix: str = "") -> None:
    """One step's answer for one person; a value that is not one of the choices is ignored,
    as a form can only send it when forged."""
    if part is Step.RING:
        ring = form.get("ring" + suffix, "")
        person.ring = int(ring) if ring in {str(r.value) for r in Ring} else None
    elif part is Step.HELP:
        chosen = set(form.getlist("helps" + suffix))
        person.helps = helps_to_text(frozenset(k for k in HelpKind if k.value in chosen))
    elif part is Step.REACH:
        reach = form.get("reach" + suffix, "")
        person.reach = reach if reach in {r.value for r in Reach} else None
    person.updated_at = now_utc()


def _checked_person(
    form: MultiDict[str, str],
) -> tuple[dict[str, str], dict[str, str], str, str | None]:
    """The name and number as typed, their errors, and the checked values."""
    values = {"name": form.get("name", ""), "phone": form.get("phone", "")}
    errors: dict[str, str] = {}
    name = check_name(values["name"])
    phone = normalize_phone(values["phone"])
    if not parsing.storable(values["name"]):  # a NUL or a lone surrogate (issue 17)
        errors["name"] = str(parsing.UNSTORABLE)
    elif isinstance(name, Problem):
        errors["name"] = _error(name)
    if isinstance(phone, Problem):
        errors["phone"] = _error(phone)
    return (
        values,
        errors,
        name if isinstance(name, str) else "",
        None if isinstance(phone, Problem) else phone,
    )


def _add_person(form: MultiDict[str, str]) -> ResponseReturnValue:
    values, errors, name, phone = _checked_person(form)
    if store.people_count(current_user.id) >= MAX_PEOPLE:
        errors["name"] = _error(Problem.TOO_MANY)
    if errors:
        return _render_step(Step.WHO, values=values, errors=errors, status=422)
    store.add_person(current_user.id, name, phone)
    db.session.commit()
    return redirect(url_for("people.step", number=Step.WHO, _anchor="add"))


def _save_notes(form: MultiDict[str, str]) -> ResponseReturnValue:
    values = {key: form.get(key, "") for key in ("note_available", "note_gaps")}
    notes: dict[str, str] = {}
    errors: dict[str, str] = {}
    for key, text in values.items():
        checked = check_note(text) if parsing.storable(text) else None
        if checked is None:
            errors[key] = str(parsing.UNSTORABLE)
        elif isinstance(checked, Problem):
            errors[key] = _error(checked)
        else:
            notes[key] = checked
    if errors:
        return _render_step(Step.REFLECT, values=values, errors=errors, status=422)
    row = store.touch(current_user.id, Step.DONE)
    row.note_available = notes["note_available"] or None
    row.note_gaps = notes["note_gaps"] or None
    db.session.commit()
    flash(_("Your map is saved."))
    return redirect(url_for("people.index"))


# --- One person ----------------------------------------------------------------------------


def _own(person_id: int) -> SupportPerson:
    person = store.person_of(current_user.id, person_id)
    if person is None:
        abort(404)
    return person


@bp.get(f"/people/<{ID}:person_id>")
@login_required
def person(person_id: int) -> ResponseReturnValue:
    return _person_page(_own(person_id))


def _person_page(
    row: SupportPerson,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    shown = row.to_domain()
    return _page(
        "people/person.html",
        status,
        person=shown,
        values=values or {"name": shown.name, "phone": shown.phone or ""},
        errors=errors or {},
    )


@bp.post(f"/people/<{ID}:person_id>")
@login_required
def update(person_id: int) -> ResponseReturnValue:
    row = _own(person_id)
    values, errors, name, phone = _checked_person(request.form)
    if errors:
        return _person_page(row, values, errors, 422)
    row.name, row.phone = name, phone
    for part in (Step.RING, Step.HELP, Step.REACH):
        _apply(row, part, request.form)
    store.touch(current_user.id)
    db.session.commit()
    flash(_("Saved."))
    return redirect(url_for("people.person", person_id=row.id))


@bp.post(f"/people/<{ID}:person_id>/delete")
@login_required
def remove(person_id: int) -> ResponseReturnValue:
    db.session.delete(_own(person_id))
    store.touch(current_user.id)
    db.session.commit()
    flash(_("Removed from your map."))
    return redirect(url_for("people.index"))


# --- Wie kan ik bellen? --------------------------------------------------------------------


@bp.get("/people/call")
@login_required
def call() -> ResponseReturnValue:
    people = store.domain_people(current_user.id)
    return _page("people/call.html", people=people, picks=who_to_call(people))


# --- The revisit card, "met wie?" ----------------------------------------------------------


@bp.post("/people/revisit/dismiss")
@login_required
def dismiss_revisit() -> ResponseReturnValue:
    row = store.map_of(current_user.id)
    if row is not None:
        row.revisit_dismissed_at = now_utc()
        db.session.commit()
    back = "people.index" if request.form.get("back") == "map" else "home.index"
    return redirect(url_for(back))


@bp.post("/people/with-whom/<iso_date>")
@login_required
def with_whom(iso_date: str) -> ResponseReturnValue:
    """Who a check-in's real contact was with; optional, and only this person's people."""
    day = parsing.day(iso_date)
    checkin = store.checkin_of(current_user.id, day) if day else None
    if checkin is None:
        abort(404)
    chosen = {i for i in (parsing.row_id(v) for v in request.form.getlist("with_whom")) if i}
    store.set_contacts(current_user.id, checkin, chosen)
    db.session.commit()
    flash(_("Noted. Thank you."))
    return redirect(url_for("home.index"))


@dataclass(frozen=True)
class WithWhom:
    day: date
    people: list[SupportPerson]


@dataclass(frozen=True)
class HomeParts:
    revisit: bool
    with_whom: WithWhom | None


def home_parts() -> HomeParts | None:
    """What home shows of the map: the revisit card when due, and "met wie?" while today's
    check-in says there was real contact and does not say with whom yet."""
    if not current_user.is_authenticated:
        return None
    today = local_today(current_user.timezone)
    row = store.map_of(current_user.id)
    revisit = False
    if row is not None:
        dismissed = row.revisit_dismissed_at
        revisit = revisit_due(
            store.local_day(row.updated_at, current_user.timezone),
            store.local_day(dismissed, current_user.timezone) if dismissed else None,
            today,
        )
    asked = None
    checkin = store.checkin_of(current_user.id, today)
    if checkin is not None and checkin.social_contact == Social.MEANINGFUL.value:
        inner = store.inner_people(current_user.id)
        if inner and not store.contact_ids(checkin.id):
            asked = WithWhom(today, inner)
    return HomeParts(revisit, asked)


def week_contact(user_id: int, first: date, last: date) -> ContactByRing | None:
    """The week page's contact days by ring; None while the person has nobody on a map."""
    if not store.people_count(user_id):
        return None
    return contact_by_ring(store.contact_days(user_id, first, last), first, last)


def coach_counts(connection: CoachConnection) -> store.CoachView | None:
    """What a coach sees of the map through this connection: the counts and the date, and
    only when the person ticked it for this connection (include_people)."""
    if not connection.include_people:
        return None
    person = db.session.get(User, connection.person_id)
    return store.coach_view(connection.person_id, person.timezone) if person else None


@bp.app_context_processor
def people_helpers() -> dict[str, object]:
    return {"people_home": home_parts, "people_words": words, "people_coach_counts": coach_counts}
