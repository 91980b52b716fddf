"""Sharing with a coach: scoped, revocable links to the coach summary (DOMAIN D.2), and its PDF.

For the person (logged in): `/share` lists their links with a view log, creates a link (the
token is shown once, as text and as a QR code) and revokes one; `/share/summary.pdf` is the same
summary for themselves.

For the coach (no account): `/s/<token>` and `/s/<token>.pdf`, and nothing else. Those views
read only the summary of the link's owner, write only the audit row of the view, and answer
one and the same 404 for a token that is unknown, revoked or expired, so a response never tells
which of the three it was.

Privacy by construction:

- The token is 32 random bytes (256 bits, URL-safe); only its SHA-256 is stored.
- Share responses carry `Cache-Control: no-store`, `X-Robots-Tag: noindex` and, on the coach's
  pages, `Referrer-Policy: no-referrer` (set on the response before the app's own headers,
  which only fill in what is missing). The person's `/share` page keeps the app's same-origin
  policy: its forms need a Referer for CSRF on HTTPS (DESIGN pitfalls), and its address holds
  no token.
- Tokens never reach a log: :class:`RedactShareTokens` rewrites `/s/<token>` in the request
  log lines of werkzeug and gunicorn and in the app's own log.
- The PDF is rendered with a URL fetcher that serves files from the static folder and refuses
  every other address, so rendering never touches the network.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any, Final
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Flask,
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
from flask.sansio.app import App
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, format_date
from flask_babel import format_datetime as babel_format_datetime
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup, escape
from sqlalchemy import func, not_, select
from sqlalchemy.orm import aliased, selectinload

from journal.clock import local_today, now_utc
from journal.domain.checkin import CheckIn
from journal.domain.coach import (
    PERIOD_WEEKS,
    CoachSummary,
    Quadrant,
    Row,
    coach_summary,
    window,
)
from journal.domain.lifecycle import Dismissal, EventKind
from journal.domain.metrics import ANCHOR_N
from journal.domain.rules import Flag, Level
from journal.domain.summary import Movement
from journal.extensions import db
from journal.models import (
    CheckinRow,
    ShareLink,
    ShareLinkNote,
    ShareView,
    SignedIn,
    SignpostDismissal,
    User,
)
from journal.web import charts, coach_charts, flag_texts
from journal.web.checkin_form import answer_labels
from journal.web.i18n import LANGUAGES
from journal.web.numbers import clock, number, signed

bp = Blueprint("share", __name__)

TOKEN_BYTES: Final = 32  # 256 bits
TOKEN_RE: Final = re.compile(r"^[A-Za-z0-9_-]{43}$")  # what token_urlsafe(32) gives
EXPIRY_DAYS: Final = (7, 30, 90)
DEFAULT_WEEKS: Final = 4
DEFAULT_EXPIRY: Final = 30
LABEL_MAX: Final = 60
VIEW_LOG_SHOWN: Final = 50  # views listed per link on the person's page
NOTE_PICK_WEEKS: Final = max(PERIOD_WEEKS)  # notes offered for ticking: the longest period

COACH_HEADERS: Final = {
    "Cache-Control": "no-store",
    "X-Robots-Tag": "noindex",
    "Referrer-Policy": "no-referrer",
}
PERSON_HEADERS: Final = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
COACH_ENDPOINTS: Final = frozenset({"share.coach_page", "share.coach_pdf"})


# --- Tokens never in logs ----------------------------------------------------------------------

# Anything after /s/ up to a character a token cannot hold: also a mistyped or guessed token,
# which may be one character away from a real one.
_TOKEN_IN_PATH: Final = re.compile(r"/s/[^\s\"'?#/.]+")
REDACTED: Final = "/s/[redacted]"
LOGGERS: Final = ("werkzeug", "gunicorn.access", "gunicorn.error")


class RedactShareTokens(logging.Filter):
    """Rewrites `/s/<token>` in a log record's message; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record is the logging module's business, not ours
            return True
        if "/s/" in message:
            record.msg = _TOKEN_IN_PATH.sub(REDACTED, message)
            record.args = None
        return True


def install_log_redaction(app: Flask | App) -> None:
    """Add the filter to the request loggers and the app's logger, once each.

    A filter on a logger sees the records logged on that logger itself, before any handler
    (also the ones on the root logger that the record propagates to) formats it.
    """
    for name in (*LOGGERS, app.logger.name):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactShareTokens) for f in logger.filters):
            logger.addFilter(RedactShareTokens())


@bp.record_once
def _on_register(state: BlueprintSetupState) -> None:
    install_log_redaction(state.app)


# --- Tokens and links --------------------------------------------------------------------------


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def link_status(link: ShareLink, now: datetime) -> str:
    if link.revoked_at is not None:
        return "revoked"
    if link.expires_at <= now:
        return "expired"
    return "open"


def _gone() -> Response:
    """The one answer for an unknown, revoked or expired token: same status, body, headers."""
    with force_locale(coach_language()):
        body = render_template("share/not_found.html")
    response = current_app.make_response((body, 404))
    response.headers.update(COACH_HEADERS)
    return response


def _open_link(token: str) -> ShareLink:
    if TOKEN_RE.match(token) is None:
        abort(_gone())
    link: ShareLink | None = db.session.scalar(
        select(ShareLink).where(ShareLink.token_hash == token_hash(token))
    )
    if link is None or link_status(link, now_utc()) != "open":
        abort(_gone())
    return link


def browser_family(user_agent: str) -> str:
    """Chrome, Firefox, Safari, Edge or other; only this is kept, never the User-Agent."""
    ua = user_agent or ""
    if "Edg/" in ua or "Edge/" in ua or "EdgA/" in ua or "EdgiOS/" in ua:
        return "Edge"
    if "Firefox/" in ua or "FxiOS/" in ua:
        return "Firefox"
    if "OPR/" in ua or "SamsungBrowser/" in ua:
        return "other"  # Chromium-based, but not Chrome: the person would not recognise it
    if "Chrome/" in ua or "CriOS/" in ua or "Chromium/" in ua:
        return "Chrome"
    if "Safari/" in ua:
        return "Safari"
    return "other"


def _record_view(link: ShareLink, kind: str) -> None:
    """The audit row the person sees: one per view (a HEAD request shows nothing, so none)."""
    if request.method != "GET":
        return
    now = now_utc()
    db.session.add(
        ShareView(
            link_id=link.id,
            viewed_at=now,
            browser_family=browser_family(request.headers.get("User-Agent", "")),
            kind=kind,
        )
    )
    link.last_viewed_at = now
    db.session.commit()


@bp.after_request
def _share_headers(response: Response) -> Response:
    # Set before the app's own after_request, which only fills in what is still missing.
    headers = COACH_HEADERS if request.endpoint in COACH_ENDPOINTS else PERSON_HEADERS
    for name, value in headers.items():
        response.headers[name] = value
    return response


# --- Loading the summary -----------------------------------------------------------------------


def load_records(user_id: int, today: date, weeks: int) -> list[CheckIn]:
    """The records coach_summary reads: its window, the first record and the first valid ones.

    Two queries, each a range or a LIMIT on the (user_id, date) index, so the cost is that of
    the window, not of the diary (one query with an OR across them would scan the diary).
    """
    first_day, last_day = window(today, weeks)
    mine = CheckinRow.user_id == user_id
    in_window = db.session.scalars(
        select(CheckinRow).where(mine, CheckinRow.date >= first_day, CheckinRow.date <= last_day)
    )
    by_date = {row.date: row for row in in_window}
    # Before the window: the very first record (warm-up, CHECKIN_GAP) and the first ANCHOR_N
    # valid ones (the anchor). Valid = not tagged illness (B.4); no other tag holds that text.
    valid = not_(CheckinRow.context_tags.contains("illness"))
    first_records = select(CheckinRow).where(mine, CheckinRow.date < first_day)
    for query in (
        first_records.order_by(CheckinRow.date).limit(1),
        first_records.where(valid).order_by(CheckinRow.date).limit(ANCHOR_N),
    ):
        for row in db.session.scalars(query):
            by_date.setdefault(row.date, row)
    return [by_date[day].to_domain() for day in sorted(by_date)]


def load_dismissals(user_id: int, since: date) -> list[Dismissal]:
    rows = db.session.scalars(
        select(SignpostDismissal).where(
            SignpostDismissal.user_id == user_id, SignpostDismissal.day >= since
        )
    )
    return [
        Dismissal(
            Flag(row.flag),
            row.day,
            tuple(r for r in row.reasons.split(";") if r),
            row.dismiss_reason,
        )
        for row in rows
    ]


def summary_for(
    user: User | SignedIn, weeks: int, note_dates: frozenset[date] = frozenset()
) -> CoachSummary:
    today = local_today(user.timezone)
    records = load_records(user.id, today, weeks)
    dismissals = load_dismissals(user.id, window(today, weeks)[0])
    return coach_summary(records, dismissals, today, weeks, note_dates)


def _shared_note_dates(link: ShareLink) -> frozenset[date]:
    """The dates of the notes ticked for this link; none unless notes are included at all."""
    if not link.include_notes:
        return frozenset()
    dates = db.session.scalars(
        select(CheckinRow.date)
        .join(ShareLinkNote, ShareLinkNote.checkin_id == CheckinRow.id)
        .where(ShareLinkNote.link_id == link.id, CheckinRow.user_id == link.user_id)
    )
    return frozenset(dates)


# --- Words ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowInfo:
    label: Any
    hint: Any  # which way is better
    kind: str  # "score", "minutes", "clock" (h:mm), "percent"
    places: int


ROWS: Final[dict[Row, RowInfo]] = {
    Row.RI: RowInfo(_l("Recovery index (RI, 0–100)"), _l("higher is better"), "score", 0),
    Row.AI: RowInfo(_l("Activation index (AI, 0–100)"), _l("higher is more activated"), "score", 0),
    Row.MORNING_ENERGY: RowInfo(_l("Morning energy (0–10)"), _l("higher is better"), "score", 1),
    Row.REFRESHED: RowInfo(_l("Sleep recharged (0–4)"), _l("higher is better"), "score", 1),
    Row.STARTUP_EFFORT: RowInfo(
        _l("Effort to get going (0–10)"), _l("higher is harder"), "score", 1
    ),
    Row.LETTING_GO: RowInfo(
        _l("Letting go in the evening (0–10)"), _l("higher is better"), "score", 1
    ),
    Row.BEDTIME_TENSION: RowInfo(
        _l("Tension at bedtime (0–10)"), _l("higher is more tense"), "score", 1
    ),
    Row.DAY_LOAD: RowInfo(_l("Load of the day (0–10)"), _l("higher is heavier"), "score", 1),
    Row.TST: RowInfo(_l("Total sleep time (TST, h:mm)"), "", "clock", 0),
    Row.SOL: RowInfo(_l("Time to fall asleep (SOL, min)"), _l("lower is better"), "minutes", 0),
    Row.WASO: RowInfo(
        _l("Awake after falling asleep (WASO, min)"), _l("lower is better"), "minutes", 0
    ),
    Row.SE: RowInfo(_l("Sleep efficiency (SE, %)"), _l("higher is better"), "percent", 0),
}

FLAGS: Final = {
    Flag.REST_NO_RECOVERY: _l("Rest without recovery (the chain)"),
    Flag.EARLY_SIGNS: _l("Early signs"),
    Flag.SLEEP_DISRUPTED: _l("Disrupted sleep"),
    Flag.NO_ROOM_TO_RECOVER: _l("No room to recover"),
    Flag.CARRYING_ALONE: _l("Carrying it alone"),
    Flag.LITTLE_OUTDOOR_MOVEMENT: _l("Little outdoor movement"),
    Flag.SIGNPOST_LOOK_FURTHER: _l("Signpost: look further"),
    Flag.SIGNPOST_DOCTOR: _l("Signpost: see the GP"),
    Flag.IMPROVING: _l("Improving"),
    Flag.CHECKIN_GAP: _l("Fewer check-ins"),
}
LEVELS: Final = {
    Level.POSITIVE: _l("positive"),
    Level.INFO: _l("info"),
    Level.NOTICE: _l("notice"),
    Level.ATTENTION: _l("attention"),
    Level.PERSISTENT: _l("persistent"),
    Level.DOCTOR: _l("doctor"),
}
EVENTS: Final = {
    EventKind.ONSET: _l("started"),
    EventKind.ESCALATION: _l("level went up"),
    EventKind.RESOLVED: _l("resolved"),
}
REASONS: Final = {
    **flag_texts.SIGN_PHRASES,
    "disturbed_nights": _l("3 or more nights with 31+ min to fall asleep or awake"),
    "low_efficiency": _l("mean sleep efficiency below 85%"),
    "short_sleep": _l("mean sleep under 6 hours"),
    "chain_persistent": _l("the full chain for over a week"),
    "early_signs_3w": _l("early signs three weeks in a row"),
    "sleepiness": _l("marked daytime sleepiness or nodding off unintentionally"),
    "sleep_disorder_signs": _l(
        "night-time signs worth a doctor's look (breathing, restless legs, long nights that "
        "still leave them exhausted, or four weeks of restless nights)"
    ),
    "medication": _l("sleep medication or a change in medication"),
    "medical": _l("wonders about a physical cause"),
    "recovery_up": _l("mornings more recovered"),
    "tension_down": _l("less tension at bedtime"),
    "rest_recharging": _l("rest recharges more often"),
    "sleep_refreshing": _l("sleep refreshes more"),
}
QUADRANTS: Final = {
    Quadrant.ACTIVATED_LOW_RECOVERY: _l("activated, low recovery"),
    Quadrant.LOW_ACTIVATION_LOW_RECOVERY: _l("low activation, low recovery"),
    Quadrant.ACTIVATED_RECOVERING: _l("activated, recovering"),
    Quadrant.SETTLED: _l("settled"),
}
QUADRANT_GLOSS: Final = {
    Quadrant.ACTIVATED_LOW_RECOVERY: _l("rest doesn't land, the mind keeps scanning"),
    Quadrant.LOW_ACTIVATION_LOW_RECOVERY: _l("depleted, energy first"),
    Quadrant.ACTIVATED_RECOVERING: _l("activated, yet mornings recover"),
    Quadrant.SETTLED: _l("calm evenings, recovered mornings"),
}
REST_TYPES: Final = answer_labels("rest_types")
INTENSITIES: Final = answer_labels("movement_intensity")
BROWSER_NAMES: Final = {
    "Chrome": "Chrome",
    "Firefox": "Firefox",
    "Safari": "Safari",
    "Edge": "Edge",
    "other": _l("other browser"),
}
VIEW_KINDS: Final = {"page": _l("page"), "pdf": _l("PDF")}
STATUS: Final = {"open": _l("open"), "revoked": _l("revoked"), "expired": _l("expired")}


# --- Numbers in the reader's language ------------------------------------------------------------


def _formatted(value: Fraction | None, info: RowInfo, change: bool = False) -> str:
    if info.kind == "clock":
        return clock(value, sign=change)
    return signed(value, info.places) if change else number(value, info.places)


def row_cells(summary: CoachSummary) -> list[dict[str, Any]]:
    """The metrics table, formatted: value, B, z, anchor and change per row."""
    out = []
    for m in summary.metrics:
        info = ROWS[m.row]
        out.append(
            {
                "row": m.row,
                "label": info.label,
                "hint": info.hint,
                "mean": _formatted(m.mean, info),
                "baseline": _formatted(m.baseline.median if m.baseline else None, info),
                "z": signed(m.z, 1),
                # |z| ≥ 0.5 is B.3's smallest worthwhile change: the rows worth a look.
                "z_marked": m.z is not None and abs(m.z) >= Fraction(1, 2),
                "anchor": _formatted(m.anchor, info),
                "change": _formatted(m.change, info, change=True),
            }
        )
    return out


def _day(value: date) -> str:
    return str(format_date(value, "EEE d MMM"))


def day_list(days: Iterable[date]) -> str:
    return ", ".join(_day(d) for d in days)


def _span(first: date, last: date) -> str:
    return f"{format_date(first, 'd MMM')} – {format_date(last, 'd MMM yyyy')}"


def _short_span(first: date, last: date) -> str:
    return f"{format_date(first, 'd MMM')} – {format_date(last, 'd MMM')}"


def _moment(value: datetime | None, zone: str) -> str:
    if value is None:
        return "–"
    local = value.astimezone(ZoneInfo(zone))
    return str(babel_format_datetime(local, "d MMM yyyy, HH:mm", rebase=False))


def reason_list(ids: Iterable[str]) -> str:
    return flag_texts.joined(REASONS.get(i, i) for i in ids)


def intensity_list(moved: Movement) -> str:
    """'calm 3, moderate 1': the intensities that were answered, in A.3 order."""
    return ", ".join(f"{INTENSITIES[level]} {n}" for level, n in moved.intensity if n)


def _context(summary: CoachSummary) -> dict[str, Any]:
    """Everything the summary templates need, built inside the reader's locale."""
    blocks = summary.blocks
    block_labels = [str(format_date(b.last, "d MMM")) for b in blocks]
    return {
        "s": summary,
        "rows": row_cells(summary),
        "mix": coach_charts.pattern_mix(blocks),
        "lanes": coach_charts.flag_lanes(summary.timeline.days, summary.timeline.lanes),
        "support_chart": charts.line_chart(
            [b.support_mean for b in blocks],
            charts.Scale(0, 4, (0, 2, 4)),
            frame=charts.TREND,
            highlight=len(blocks) - 1,
        ),
        "block_labels": block_labels,
        "flags": FLAGS,
        "levels": LEVELS,
        "event_words": EVENTS,
        "reasons": REASONS,
        "quadrants": QUADRANTS,
        "quadrant_gloss": QUADRANT_GLOSS,
        "rest_types": REST_TYPES,
        "intensities": INTENSITIES,
        "link_labels": flag_texts.LINK_LABELS,
        "dismiss_reasons": flag_texts.DISMISS_REASONS,
        "number": number,
        "signed": signed,
        "reason_list": reason_list,
        "intensity_list": intensity_list,
        "clock": clock,
        "day": _day,
        "day_list": day_list,
        "span": _span,
        "short_span": _short_span,
        "period": _span(summary.period_first, summary.last_day),
        "week": _span(summary.week_first, summary.last_day),
        "chain_links": ("R0", "L1", "L2", "L3", "L4", "L5"),
    }


# --- PDF -----------------------------------------------------------------------------------------


@cache
def _fetcher_class() -> type:
    """A WeasyPrint URL fetcher for files under one folder and data: URLs, and nothing else.

    Built on first use: importing WeasyPrint takes a while, and most requests never render a
    PDF.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalOnlyFetcher(URLFetcher):  # type: ignore[misc]
        def __init__(self, root: Path) -> None:
            super().__init__(allowed_protocols=("file", "data"))
            self.root = root.resolve()
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:"):
                from urllib.request import url2pathname

                path = Path(url2pathname(url.split("?")[0].removeprefix("file:"))).resolve()
                if path.is_relative_to(self.root) and path.is_file():
                    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": kind})
            # Never a network request: a stray http(s) address in a template is refused here.
            self.refused.append(url)
            raise ValueError("only files of the static folder are fetched")

    return LocalOnlyFetcher


def static_root() -> Path:
    return Path(current_app.static_folder or "static").resolve()


def local_fetcher() -> Any:
    return _fetcher_class()(static_root())


def render_pdf(html: str, fetcher: Any = None) -> bytes:
    """A4 PDF of the HTML; relative addresses resolve against the static folder."""
    from weasyprint import HTML

    pdf: bytes = HTML(
        string=html,
        base_url=str(static_root()) + "/",
        url_fetcher=fetcher if fetcher is not None else local_fetcher(),
    ).write_pdf()
    return pdf


def pdf_name(summary: CoachSummary) -> str:
    return f"coach-summary_{summary.period_first.isoformat()}_{summary.last_day.isoformat()}.pdf"


def _pdf_response(summary: CoachSummary) -> Response:
    html = render_template("share/summary_pdf.html", **_context(summary))
    response = Response(render_pdf(html), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{pdf_name(summary)}"'
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


def _owner(link: ShareLink) -> User:
    user = db.session.get(User, link.user_id)
    if user is None:  # pragma: no cover - the link goes with the account (ON DELETE CASCADE)
        abort(_gone())
    return user


@bp.get("/s/<token>")
def coach_page(token: str) -> ResponseReturnValue:
    link = _open_link(token)
    language = coach_language()
    with force_locale(language):
        summary = summary_for(_owner(link), link.period_weeks, _shared_note_dates(link))
        html = render_template(
            "share/summary.html",
            language=language,
            pdf_url=url_for("share.coach_pdf", token=token, lang=language),
            **_context(summary),
        )
    _record_view(link, "page")
    return html


@bp.get("/s/<token>.pdf")
def coach_pdf(token: str) -> ResponseReturnValue:
    link = _open_link(token)
    with force_locale(coach_language()):
        summary = summary_for(_owner(link), link.period_weeks, _shared_note_dates(link))
        response = _pdf_response(summary)
    _record_view(link, "pdf")
    return response


# --- The person's views --------------------------------------------------------------------------


def _my_links() -> list[ShareLink]:
    return list(
        db.session.scalars(
            select(ShareLink)
            .where(ShareLink.user_id == current_user.id)
            .order_by(ShareLink.created_at.desc(), ShareLink.id.desc())
            .options(selectinload(ShareLink.notes))  # counted per link on the page
        )
    )


def _view_logs(links: Sequence[ShareLink]) -> dict[int, list[ShareView]]:
    """The latest VIEW_LOG_SHOWN views of each link, newest first, in one query."""
    logs: dict[int, list[ShareView]] = {link.id: [] for link in links}
    if not logs:
        return logs
    newest_first = (ShareView.viewed_at.desc(), ShareView.id.desc())
    rank = func.row_number().over(partition_by=ShareView.link_id, order_by=newest_first)
    ranked = (
        select(ShareView, rank.label("rank")).where(ShareView.link_id.in_(list(logs))).subquery()
    )
    view = aliased(ShareView, ranked)
    for row in db.session.scalars(
        select(view).where(ranked.c.rank <= VIEW_LOG_SHOWN).order_by(ranked.c.rank)
    ):
        logs[row.link_id].append(row)
    return logs


def _notes_to_pick(today: date) -> list[CheckinRow]:
    since = today - timedelta(weeks=NOTE_PICK_WEEKS)
    return list(
        db.session.scalars(
            select(CheckinRow)
            .where(
                CheckinRow.user_id == current_user.id,
                CheckinRow.date > since,
                CheckinRow.note.is_not(None),
                CheckinRow.note != "",
            )
            .order_by(CheckinRow.date.desc())
        )
    )


def qr_svg(url: str) -> Markup:
    """The link as a QR code, inline SVG drawn on the server (no script, no image request)."""
    import segno

    code = segno.make(url, error="m")
    svg = code.svg_inline(omitsize=True, border=4, svgclass="qr", lineclass="qr-line", light="#fff")
    label = escape(_("QR code of the link"))
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))


def _render_page(
    *,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    created: dict[str, Any] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    today = local_today(current_user.timezone)
    now = now_utc()
    zone = current_user.timezone
    links = _my_links()
    views = _view_logs(links)
    return render_template(
        "share/share.html",
        links=links,
        views=views,
        status_of=lambda link: link_status(link, now),
        status_words=STATUS,
        browser_names=BROWSER_NAMES,
        view_kinds=VIEW_KINDS,
        moment=lambda value: _moment(value, zone),
        notes=_notes_to_pick(today),
        form=form or {"weeks": DEFAULT_WEEKS, "expiry": DEFAULT_EXPIRY, "notes": set()},
        errors=errors or {},
        created=created,
        period_weeks=PERIOD_WEEKS,
        expiry_days=EXPIRY_DAYS,
        label_max=LABEL_MAX,
        day=_day,
    ), status


@bp.get("/share")
@login_required
def page() -> ResponseReturnValue:
    return _render_page()


def _int_choice(name: str, choices: tuple[int, ...]) -> int | None:
    text = request.form.get(name, "")
    return int(text) if text.isdigit() and int(text) in choices else None


@bp.post("/share")
@login_required
def create() -> ResponseReturnValue:
    """Make a link and show it once; only its hash is stored, so it cannot be shown again."""
    label = request.form.get("label", "").strip()
    weeks = _int_choice("weeks", PERIOD_WEEKS)
    expiry = _int_choice("expiry", EXPIRY_DAYS)
    include_notes = request.form.get("include_notes") == "1"
    picked = {int(v) for v in request.form.getlist("notes") if v.isdigit()}
    errors = {}
    if not label:
        errors["label"] = _("Please give the link a name, for example “my coach”.")
    elif len(label) > LABEL_MAX or "\x00" in label:
        errors["label"] = _("Please keep the name to %(n)s characters.", n=LABEL_MAX)
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
        return _render_page(form=form, errors=errors, status=422)

    today = local_today(current_user.timezone)
    note_ids: list[int] = []
    if include_notes and picked:
        # Only the person's own notes inside the chosen period can be ticked.
        since = today - timedelta(weeks=weeks)
        note_ids = list(
            db.session.scalars(
                select(CheckinRow.id).where(
                    CheckinRow.user_id == current_user.id,
                    CheckinRow.id.in_(picked),
                    CheckinRow.date > since,
                    CheckinRow.note.is_not(None),
                )
            )
        )
    token = new_token()
    now = now_utc()
    link = ShareLink(
        user_id=current_user.id,
        label=label,
        token_hash=token_hash(token),
        period_weeks=weeks,
        include_notes=include_notes and bool(note_ids),
        created_at=now,
        expires_at=now + timedelta(days=expiry),
    )
    db.session.add(link)
    db.session.flush()
    db.session.add_all(ShareLinkNote(link_id=link.id, checkin_id=i) for i in sorted(note_ids))
    db.session.commit()
    url = url_for("share.coach_page", token=token, _external=True)
    # Rendered, not redirected: the token must not travel in a (readable) session cookie.
    return _render_page(created={"url": url, "qr": qr_svg(url), "label": label}, status=201)


@bp.post("/share/<int:link_id>/revoke")
@login_required
def revoke(link_id: int) -> ResponseReturnValue:
    link = db.session.get(ShareLink, link_id)
    if link is None or link.user_id != current_user.id:
        abort(404)
    if link.revoked_at is None:
        link.revoked_at = now_utc()
        db.session.commit()
    flash(_("The link “%(label)s” is closed. It no longer opens anything.", label=link.label))
    return redirect(url_for("share.page"))


@bp.get("/share/summary.pdf")
@login_required
def own_pdf() -> ResponseReturnValue:
    """The coach summary for the person themself, without notes, in their own language."""
    text = request.args.get("weeks", str(DEFAULT_WEEKS))
    weeks = int(text) if text.isdigit() and int(text) in PERIOD_WEEKS else None
    if weeks is None:
        abort(404)
    return _pdf_response(summary_for(current_user, weeks))
