"""The coach's workspace (issue 20): the caseload at /coach, invitations to accept or decline,
the weekly digest switch, and one client's summary (DOMAIN D.2) at /coach/clients/<id> and its
PDF, within the scope the client chose.

Every view is behind `coach_required` (journal.web.coach_auth: a coach profile, a confirmed
second factor, passed in this session). A client page asks
journal.store.connections.open_for_coach on every request, and anything but this coach's open
connection is a plain 404 at once: another coach's client, an invitation not accepted, a
connection the client ended, a deleted account. Each opening is logged for the client.
"""

from __future__ import annotations

from typing import Final

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from journal.clock import local_today
from journal.domain.coach import CoachSummary
from journal.models import CoachConnection
from journal.store import connections
from journal.store.caseload import caseload as load_caseload
from journal.store.phases import coach_phase
from journal.store.share_links import ViewKind
from journal.web import parsing
from journal.web.coach_auth import coach_required, current_coach_profile
from journal.web.connection_words import CaseloadWords, scope_lines
from journal.web.share import render_summary
from journal.web.share_pdf import pdf_response
from journal.web.words import phases as phase_words

bp = Blueprint("coach", __name__)

HEADERS: Final = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
CLIENT = f"/coach/clients/<int(min=1, max={parsing.ROW_ID_MAX}):connection_id>"


@bp.after_request
def _headers(response: Response) -> Response:
    # A caseload and a client's summary must not stay in a shared browser's cache.
    for name, value in HEADERS.items():
        response.headers[name] = value
    return response


@bp.get("/coach")
@coach_required
def caseload() -> ResponseReturnValue:
    profile = current_coach_profile()
    rows = load_caseload(profile.user_id)
    said = CaseloadWords(local_today(current_user.timezone))
    return render_template(
        "coach/caseload.html",
        profile=profile,
        rows=[(row, said.row(row), said.scope(c)) for row, c in rows],
        pending=[(c, scope_lines(c)) for c in connections.pending_for(profile.user_id)],
    )


@bp.post("/coach/invitations/<int(min=1, max=" + str(parsing.ROW_ID_MAX) + "):connection_id>")
@coach_required
def answer(connection_id: int) -> ResponseReturnValue:
    choice = request.form.get("answer")
    if choice not in ("accept", "decline"):
        abort(400)
    profile = current_coach_profile()
    connection = connections.answer(profile.user_id, connection_id, accept=choice == "accept")
    if connection is None:
        abort(404)
    if choice == "accept":
        flash(_("%(name)s is now in your caseload.", name=connection.client_name))
    else:
        flash(_("You declined the invitation of %(name)s.", name=connection.client_name))
    return redirect(url_for("coach.caseload"))


@bp.post("/coach/digest")
@coach_required
def digest() -> ResponseReturnValue:
    enabled = request.form.get("enabled") == "1"
    connections.set_digest(current_coach_profile().user_id, enabled)
    if enabled:
        flash(_("You will get the weekly e-mail on Monday morning."))
    else:
        flash(_("The weekly e-mail is off."))
    return redirect(url_for("coach.caseload"))


def _client(connection_id: int) -> tuple[CoachConnection, CoachSummary]:
    """This coach's open connection and its summary, or 404 at once."""
    connection = connections.open_for_coach(current_coach_profile().user_id, connection_id)
    summary = None if connection is None else connections.client_summary(connection)
    if connection is None or summary is None:
        abort(404)
    return connection, summary


def _shared_parts(connection: CoachConnection, summary: CoachSummary) -> dict[str, object]:
    """What the page and the PDF show after the summary: the connection (the support-network
    counts read it, issue 21) and the phase with its weeks and the shared answers (issue 22),
    each only within the scope the client chose."""
    phase = (
        coach_phase(connection.person_id, summary.today, [b.first for b in summary.blocks])
        if connection.include_phase
        else None
    )
    return {"connection": connection, "phase": phase, "phase_words": phase_words}


@bp.get(CLIENT)
@coach_required
def client(connection_id: int) -> ResponseReturnValue:
    connection, summary = _client(connection_id)
    language = str(get_locale())
    html = render_summary(
        summary,
        language=language,
        pdf_url=url_for("coach.client_pdf", connection_id=connection_id),
        template="coach/client.html",
        scope=scope_lines(connection),
        **_shared_parts(connection, summary),
    )
    if request.method == "GET":  # a HEAD shows nothing, so it leaves no row in the log
        connections.record_view(connection, ViewKind.PAGE)
    return html


@bp.get(CLIENT + ".pdf")
@coach_required
def client_pdf(connection_id: int) -> ResponseReturnValue:
    connection, summary = _client(connection_id)
    response = pdf_response(
        summary,
        back_url=url_for("coach.client", connection_id=connection_id),
        template="coach/client_pdf.html",
        **_shared_parts(connection, summary),
    )
    if response.status_code == 200 and request.method == "GET":
        connections.record_view(connection, ViewKind.PDF)
    return response
