"""'Mijn herstelfase' (issue 22): the person chooses their phase and sees its history.

The app never assigns, advances or suggests a phase: this page only stores what the person
chose, with their local date. The phase's observations are on the week page (see
:func:`week_part`); the person can hide them there, with a plain POST that works without
JavaScript.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any, Final

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from journal.clock import local_today
from journal.domain.checkin import CheckIn
from journal.domain.phase import (
    WATCH_LIST_MAX_CHARS,
    Phase,
    daily_history,
    observations,
    phase_on,
)
from journal.store import phases as store
from journal.web import parsing
from journal.web.words import phases as words

bp = Blueprint("phase", __name__)

# Where "hide" and "show" on the week page send the person back to: the week page only.
WEEK_PATH: Final = re.compile(r"/week(/[0-9]{4}-W[0-9]{2})?")


def _render(
    errors: dict[str, str] | None = None, watch: str | None = None, status: int = 200
) -> ResponseReturnValue:
    today = local_today(current_user.timezone)
    changes = store.history(current_user.id)
    preference = store.preference(current_user.id)
    current = phase_on(changes, today)
    return render_template(
        "phase/phase.html",
        current=current,
        shown=daily_history(changes),
        words=words,
        Phase=Phase,
        watch=preference.watch_list if watch is None else watch,
        watch_max=WATCH_LIST_MAX_CHARS,
        errors=errors or {},
    ), status


@bp.get("/phase")
@login_required
def page() -> ResponseReturnValue:
    return _render()


@bp.post("/phase")
@login_required
def choose() -> ResponseReturnValue:
    try:
        phase = Phase(request.form.get("phase", ""))
    except ValueError:
        return _render(
            {"phase": _("Choose one of the four, or keep the one you have.")}, status=422
        )
    today = local_today(current_user.timezone)
    if store.change_phase(current_user.id, phase, today):
        flash(_("Saved. Your phase is now: %(name)s.", name=words.PHASE_NAMES[phase]))
    else:
        flash(_("That already was your phase, so nothing changed."))
    return redirect(url_for("phase.page"))


def clean_text(raw: str) -> str:
    return raw.replace("\r\n", "\n").strip()


@bp.post("/phase/watch")
@login_required
def watch() -> ResponseReturnValue:
    """The person's own list of what they will watch for; refused, never cut, past the limit."""
    text = clean_text(request.form.get("watch_list", ""))
    if len(text) > WATCH_LIST_MAX_CHARS:
        error = _(
            "Your list has %(count)s characters; %(max)s fit. Everything you wrote is still "
            "here: could you shorten it?",
            count=len(text),
            max=WATCH_LIST_MAX_CHARS,
        )
        return _render({"watch_list": error}, watch=text, status=422)
    if not parsing.storable(text):
        return _render({"watch_list": str(parsing.UNSTORABLE)}, watch=text, status=422)
    preference = store.preference(current_user.id)
    preference.watch_list = text
    store.save_preference(preference)
    flash(_("Your list is saved."))
    return redirect(url_for("phase.page", _anchor="watch"))


@bp.post("/phase/observations")
@login_required
def shown() -> ResponseReturnValue:
    """Hide or show the phase's observations on the week page, and go back to it."""
    preference = store.preference(current_user.id)
    preference.observations_hidden = request.form.get("hide") == "1"
    store.save_preference(preference)
    back = request.form.get("next", "")
    if not WEEK_PATH.fullmatch(back):
        back = url_for("week.this_week")
    return redirect(f"{back}#phase")


def week_part(user_id: int, records: Sequence[CheckIn], day: date) -> dict[str, Any]:
    """What the week page shows of the phase on `day` (its last evaluated day): the phase,
    its observations from the records the page already loaded, and whether they are hidden."""
    preference = store.preference(user_id)
    current = phase_on(store.history(user_id), day)
    found = (
        ()
        if preference.observations_hidden
        else observations(current, records, day, preference.watch_list)
    )
    return {
        "phase": current,
        "observations": found,
        "hidden": preference.observations_hidden,
    }
