"""The person's side of a connection with a coach (issue 20), on the share page: invite a coach
by e-mail address or coach code, see the scope in plain words before confirming, see each
connection with its view log, end one with a tap and a confirmation.

The answer to an invitation is one and the same sentence whether or not the address or code
belongs to a coach, and an invitation shows on this page only once the coach accepted it
(journal.store.connections explains why): nobody learns here which addresses are coaches.
"""

from __future__ import annotations

from typing import Any, Final

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from journal.clock import local_today
from journal.domain.coach.caseload import Period
from journal.models import ConnectionPeriod
from journal.store import connections, share_links
from journal.web import connection_words, parsing, share_words

bp = Blueprint("connections", __name__)

NAME_MAX: Final = 60  # coach_connections.client_name
COACH_MAX: Final = 254  # an e-mail address
PERIODS: Final = tuple(Period)
CONNECTION = f"/share/coach/<int(min=1, max={parsing.ROW_ID_MAX}):connection_id>"


def page_context(
    form: dict[str, Any] | None = None, errors: dict[str, str] | None = None
) -> dict[str, Any]:
    """What templates/share/_connections.html needs, for the share page (journal.web.share)."""
    shown = connections.connections_of(current_user.id)
    zone = current_user.timezone
    return {
        "coach_connections": shown,
        "coach_views": connections.view_logs([s.connection.id for s in shown]),
        "connect_form": form or {"period": Period.FROM_CONNECTING.value, "notes": set()},
        "connect_errors": errors or {},
        "connect_periods": [(p.value, connection_words.PERIODS[p]) for p in PERIODS],
        "scope_lines": connection_words.scope_lines,
        "connect_moment": lambda value: share_words.moment(value, zone),
    }


def _read_form() -> tuple[dict[str, Any], dict[str, str]]:
    coach = request.form.get("coach", "").strip()
    name = request.form.get("client_name", "").strip()
    period = request.form.get("period", "")
    form = {
        "coach": coach,
        "client_name": name,
        "period": period,
        "include_notes": request.form.get("include_notes") == "1",
        "notes": {i for i in map(parsing.row_id, request.form.getlist("notes")) if i is not None},
        "include_people": request.form.get("include_people") == "1",
        "include_phase": request.form.get("include_phase") == "1",
    }
    errors = {}
    if not coach:
        errors["coach"] = _("Please type your coach's e-mail address or coach code.")
    elif len(coach) > COACH_MAX or not parsing.one_line(coach):
        errors["coach"] = _("That is not an e-mail address or a coach code.")
    if not name:
        errors["client_name"] = _(
            "Please type the name your coach will see, for example your first name."
        )
    elif len(name) > NAME_MAX:
        errors["client_name"] = _("Please keep the name to %(n)s characters.", n=NAME_MAX)
    elif not parsing.one_line(name):
        errors["client_name"] = str(parsing.UNSTORABLE)
    if period not in {p.value for p in PERIODS}:
        errors["period"] = _("Please choose one of the options.")
    return form, errors


def _page(form: dict[str, Any], errors: dict[str, str], status: int = 422) -> ResponseReturnValue:
    from journal.web.share import render_page  # the share page holds this section

    return render_page(connect_form=form, connect_errors=errors, status=status)


@bp.post("/share/coach")
@login_required
def invite() -> ResponseReturnValue:
    """Step 1 shows the scope in plain words; step 2 (confirm=1) sends the invitation."""
    form, errors = _read_form()
    if errors:
        return _page(form, errors)
    if request.form.get("confirm") == "edit":
        return _page(form, {}, status=200)
    if request.form.get("confirm") != "1":
        today = local_today(current_user.timezone)
        notes = (
            [
                row
                for row in share_links.notes_to_pick(current_user.id, today)
                if row.id in form["notes"]
            ]
            if form["include_notes"]
            else []
        )
        return render_template(
            "share/connect_review.html",
            form=form,
            period_words=connection_words.PERIODS[Period(form["period"])],
            notes=notes,
            day=share_words.day,
        )
    coach_id = connections.find_coach(form["coach"])
    if coach_id is not None:
        connections.invite(
            current_user.id,
            coach_id,
            local_today(current_user.timezone),
            client_name=form["client_name"],
            period=ConnectionPeriod(form["period"]),
            include_notes=form["include_notes"],
            picked_notes=form["notes"],
            include_people=form["include_people"],
            include_phase=form["include_phase"],
        )
    # The same words whatever was found: see the module doc.
    flash(
        _(
            "Sent. If this address or code belongs to a coach, they now see your invitation. "
            "As soon as they accept it, the connection shows here."
        )
    )
    return redirect(url_for("share.page") + "#h-coach")


@bp.post(CONNECTION + "/end")
@login_required
def end(connection_id: int) -> ResponseReturnValue:
    connection = connections.end(current_user.id, connection_id)
    if connection is None:
        abort(404)
    flash(_("The connection is ended. Your coach sees nothing of your diary any more."))
    return redirect(url_for("share.page") + "#h-coach")


@bp.post("/share/coach/withdraw")
@login_required
def withdraw() -> ResponseReturnValue:
    connections.withdraw_pending(current_user.id)
    flash(_("Every invitation no coach has accepted yet is withdrawn."))
    return redirect(url_for("share.page") + "#h-coach")
