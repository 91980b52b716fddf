"""Sharing with a coach: scoped, revocable links to the coach summary (DOMAIN D.2), and its PDF.

For the person (logged in): `/share` lists their links with a view log, creates a link (the
token is shown once, as text and as a QR code) and revokes one; `/share/summary.pdf` is the same
summary for themselves.

For the coach (no account): `/s/<token>` and `/s/<token>.pdf`, and nothing else. Those views
read only the summary of the link's owner, write only the audit row of the view, and answer
one and the same 404 for a token that is unknown, revoked or expired, so a response never tells
which of the three it was.

Privacy by construction (the parts live beside this module):

- Only the token's SHA-256 is stored (`journal.store.share_links`).
- Share responses carry `Cache-Control: no-store`, `X-Robots-Tag: noindex` and, on the coach's
  pages, `Referrer-Policy: no-referrer` (set on the response before the app's own headers,
  which only fill in what is missing). The person's `/share` page keeps the app's same-origin
  policy: its forms need a Referer for CSRF on HTTPS (DESIGN pitfalls), and its address holds
  no token.
- Tokens never reach a log (`journal.web.log_redaction`, installed with this blueprint).
- The PDF never touches the network (`journal.web.share_pdf`).
"""

from __future__ import annotations

from typing import Any, Final

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup, escape

from journal.clock import local_today, now_utc
from journal.domain.coach import PERIOD_WEEKS, CoachSummary
from journal.models import ShareLink
from journal.store import share_links
from journal.store.share_links import ViewKind
from journal.web import parsing, share_words
from journal.web.i18n import LANGUAGES
from journal.web.log_redaction import install_log_redaction
from journal.web.rate_limits import Guard, guarded
from journal.web.share_pdf import pdf_response, unavailable_note

bp = Blueprint("share", __name__)

EXPIRY_DAYS: Final = (7, 30, 90)
DEFAULT_WEEKS: Final = 4
DEFAULT_EXPIRY: Final = 30
LABEL_MAX: Final = 60

COACH_HEADERS: Final = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex",
    "Referrer-Policy": "no-referrer",
}
PERSON_HEADERS: Final = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
COACH_ENDPOINTS: Final = frozenset({"share.coach_page", "share.coach_pdf"})


@bp.record_once
def _on_register(state: BlueprintSetupState) -> None:
    install_log_redaction(state.app)


@bp.after_request
def _share_headers(response: Response) -> Response:
    # Set before the app's own after_request, which only fills in what is still missing.
    headers = COACH_HEADERS if request.endpoint in COACH_ENDPOINTS else PERSON_HEADERS
    for name, value in headers.items():
        response.headers[name] = value
    return response


# --- The coach's views ---------------------------------------------------------------------------


def coach_language() -> str:
    """?lang= first (the switch on the page), then the browser's languages, then the default.

    The person's own language setting is not used: the page is the coach's.
    """
    chosen = request.args.get("lang", "")
    if chosen in LANGUAGES:
        return chosen
    best = request.accept_languages.best_match(LANGUAGES)
    return best or str(current_app.config["BABEL_DEFAULT_LOCALE"])


def _gone() -> Response:
    """The one answer for an unknown, revoked or expired token: same status, body, headers."""
    with force_locale(coach_language()):
        body = render_template("share/not_found.html")
    response = current_app.make_response((body, 404))
    response.headers.update(COACH_HEADERS)
    return response


def _open(token: str) -> tuple[ShareLink, CoachSummary]:
    """The open link of the token and the summary it shares, or the one 404."""
    link = share_links.open_link(token)
    summary = None if link is None else share_links.link_summary(link)
    if link is None or summary is None:
        abort(_gone())
    return link, summary


def _record_view(link: ShareLink, kind: ViewKind) -> None:
    # A HEAD request shows nothing, so it leaves no row in the person's view log.
    if request.method == "GET":
        share_links.record_view(link, kind, request.headers.get("User-Agent", ""))


# Page and PDF share one counter of every lookup, found or not: a token is a secret too.
LOOKUPS = guarded(Guard.SHARE_ADDRESS, methods=None)


@bp.get("/s/<token>")
@LOOKUPS
def coach_page(token: str) -> ResponseReturnValue:
    link, summary = _open(token)
    language = coach_language()
    with force_locale(language):
        html = render_summary(
            summary,
            language=language,
            pdf_url=url_for("share.coach_pdf", token=token, lang=language),
        )
    _record_view(link, ViewKind.PAGE)
    return html


def render_summary(
    summary: CoachSummary,
    *,
    language: str,
    pdf_url: str,
    template: str = "share/summary.html",
    **extra: Any,
) -> str:
    """The coach summary page in the active locale: the share link's page, and (with its own
    template extending that one) the client page of a connected coach (journal.web.coach)."""
    return render_template(
        template,
        language=language,
        pdf_url=pdf_url,
        pdf_unavailable=unavailable_note(),
        **share_words.summary_context(summary),
        **extra,
    )


@bp.get("/s/<token>.pdf")
@LOOKUPS
def coach_pdf(token: str) -> ResponseReturnValue:
    link, summary = _open(token)
    language = coach_language()
    with force_locale(language):
        back = url_for("share.coach_page", token=token, lang=language)
        response = pdf_response(summary, back_url=back)
    if response.status_code == 200:  # not the 503 of a server that cannot make PDFs
        _record_view(link, ViewKind.PDF)
    return response


# --- The person's views --------------------------------------------------------------------------


def qr_svg(url: str, label: str | None = None) -> Markup:
    """The link as a QR code, inline SVG drawn on the server (no script, no image request).
    `label` names it for screen readers; the second factor's set-up (issue 20) passes its own."""
    import segno

    code = segno.make(url, error="m")
    svg = code.svg_inline(omitsize=True, border=4, svgclass="qr", lineclass="qr-line", light="#fff")
    name = escape(label if label is not None else _("QR code of the link"))
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{name}" ', 1))


def render_page(
    *,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    created: dict[str, Any] | None = None,
    status: int = 200,
    connect_form: dict[str, Any] | None = None,
    connect_errors: dict[str, str] | None = None,
) -> ResponseReturnValue:
    """The share page: links, and connections with a coach (journal.web.connections)."""
    from journal.web.connections import page_context  # it imports this module

    today = local_today(current_user.timezone)
    now = now_utc()
    zone = current_user.timezone
    links = share_links.links_of(current_user.id)
    return render_template(
        "share/share.html",
        links=links,
        views=share_links.view_logs(links),
        status_of=lambda link: share_links.link_status(link, now),
        status_words=share_words.STATUS,
        browser_names=share_words.BROWSER_NAMES,
        view_kinds=share_words.VIEW_KINDS,
        moment=lambda value: share_words.moment(value, zone),
        notes=share_links.notes_to_pick(current_user.id, today),
        form=form or {"weeks": DEFAULT_WEEKS, "expiry": DEFAULT_EXPIRY, "notes": set()},
        errors=errors or {},
        created=created,
        period_weeks=PERIOD_WEEKS,
        expiry_days=EXPIRY_DAYS,
        label_max=LABEL_MAX,
        day=share_words.day,
        pdf_unavailable=unavailable_note(),
        **page_context(connect_form, connect_errors),
    ), status


@bp.get("/share")
@login_required
def page() -> ResponseReturnValue:
    return render_page()


@bp.post("/share")
@login_required
def create() -> ResponseReturnValue:
    """Make a link and show it once; only its hash is stored, so it cannot be shown again."""
    label = request.form.get("label", "").strip()
    weeks = parsing.one_of(request.form.get("weeks"), PERIOD_WEEKS)
    expiry = parsing.one_of(request.form.get("expiry"), EXPIRY_DAYS)
    include_notes = request.form.get("include_notes") == "1"
    # An id that is no row is ignored like one of someone else's (see create_link).
    picked = {i for i in map(parsing.row_id, request.form.getlist("notes")) if i is not None}
    errors = {}
    if not label:
        errors["label"] = _("Please give the link a name, for example “my coach”.")
    elif len(label) > LABEL_MAX:
        errors["label"] = _("Please keep the name to %(n)s characters.", n=LABEL_MAX)
    elif not parsing.one_line(label):
        errors["label"] = str(parsing.UNSTORABLE)
    if weeks is None:
        errors["weeks"] = _("Please choose one of the options.")
    if expiry is None:
        errors["expiry"] = _("Please choose one of the options.")
    form = {
        "label": label,
        "weeks": weeks,
        "expiry": expiry,
        "include_notes": include_notes,
        "notes": picked,
    }
    if errors or weeks is None or expiry is None:
        return render_page(form=form, errors=errors, status=422)

    token = share_links.create_link(
        current_user.id,
        local_today(current_user.timezone),
        label=label,
        weeks=weeks,
        expiry_days=expiry,
        picked_notes=picked,
        include_notes=include_notes,
    )
    url = url_for("share.coach_page", token=token, _external=True)
    # Rendered, not redirected: the token must not travel in a (readable) session cookie.
    return render_page(created={"url": url, "qr": qr_svg(url), "label": label}, status=201)


# Beyond the largest id the database's integer could hold: no such link, and no query.
@bp.post(f"/share/<int(min=1, max={parsing.ROW_ID_MAX}):link_id>/revoke")
@login_required
def revoke(link_id: int) -> ResponseReturnValue:
    link = share_links.close_link(current_user.id, link_id)
    if link is None:
        abort(404)
    flash(_("The link “%(label)s” is closed. It no longer opens anything.", label=link.label))
    return redirect(url_for("share.page"))


@bp.get("/share/summary.pdf")
@login_required
def own_pdf() -> ResponseReturnValue:
    """The coach summary for the person themself, without notes, in their own language."""
    weeks = parsing.one_of(request.args.get("weeks", str(DEFAULT_WEEKS)), PERIOD_WEEKS)
    if weeks is None:
        abort(404)
    summary = share_links.summary_for(current_user, weeks)
    return pdf_response(summary, back_url=url_for("share.page"))
