"""Share links in the database: tokens, whether a link is open, its view log, and the records
the coach summary (DOMAIN D.2) reads for it.

The token is 32 random bytes (256 bits, URL-safe) and only its SHA-256 is stored, so a copy of
the database opens no summary. A link is open while neither revoked nor expired; opening one
answers None for a malformed, unknown, revoked or expired token alike, so that the caller can
give all four one and the same answer.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import aliased, selectinload

from journal.clock import local_today, now_utc
from journal.domain.checkin import CheckIn
from journal.domain.coach import PERIOD_WEEKS, CoachSummary, coach_summary, window
from journal.extensions import db
from journal.models import CheckinRow, ShareLink, ShareLinkNote, ShareView, SignedIn, User
from journal.store.flag_states import load_dismissals, records_with_anchor
from journal.store.tokens import TOKEN_RE, new_token, token_hash

VIEW_LOG_SHOWN: Final = 50  # views listed per link on the person's page
NOTE_PICK_WEEKS: Final = max(PERIOD_WEEKS)  # notes offered for ticking: the longest period


class LinkStatus(StrEnum):
    OPEN = "open"
    REVOKED = "revoked"
    EXPIRED = "expired"


class ViewKind(StrEnum):
    """What the coach opened; stored in `share_views.kind`."""

    PAGE = "page"
    PDF = "pdf"


# --- Tokens and links --------------------------------------------------------------------------


def link_status(link: ShareLink, now: datetime) -> LinkStatus:
    if link.revoked_at is not None:
        return LinkStatus.REVOKED
    if link.expires_at <= now:
        return LinkStatus.EXPIRED
    return LinkStatus.OPEN


def open_link(token: str) -> ShareLink | None:
    """The open link of this token; None when it is malformed, unknown, revoked or expired."""
    if TOKEN_RE.match(token) is None:
        return None
    link: ShareLink | None = db.session.scalar(
        select(ShareLink).where(ShareLink.token_hash == token_hash(token))
    )
    if link is None or link_status(link, now_utc()) is not LinkStatus.OPEN:
        return None
    return link


def create_link(
    user_id: int,
    today: date,
    label: str,
    weeks: int,
    expiry_days: int,
    picked_notes: set[int],
    include_notes: bool,
) -> str:
    """Store a new link and return its token, which is stored nowhere and cannot be shown again.

    Of the picked check-ins only the person's own notes inside the link's period (the weeks up
    to `today`) are kept.
    """
    note_ids: list[int] = []
    if include_notes and picked_notes:
        since = today - timedelta(weeks=weeks)
        note_ids = list(
            db.session.scalars(
                select(CheckinRow.id).where(
                    CheckinRow.user_id == user_id,
                    CheckinRow.id.in_(picked_notes),
                    CheckinRow.date > since,
                    CheckinRow.note.is_not(None),
                )
            )
        )
    token = new_token()
    now = now_utc()
    link = ShareLink(
        user_id=user_id,
        label=label,
        token_hash=token_hash(token),
        period_weeks=weeks,
        include_notes=include_notes and bool(note_ids),
        created_at=now,
        expires_at=now + timedelta(days=expiry_days),
    )
    db.session.add(link)
    db.session.flush()
    db.session.add_all(ShareLinkNote(link_id=link.id, checkin_id=i) for i in sorted(note_ids))
    db.session.commit()
    return token


def close_link(user_id: int, link_id: int) -> ShareLink | None:
    """Revoke the person's link (once: a second close keeps the first moment); None if the
    link is not theirs."""
    link = db.session.get(ShareLink, link_id)
    if link is None or link.user_id != user_id:
        return None
    if link.revoked_at is None:
        link.revoked_at = now_utc()
        db.session.commit()
    return link


# --- The view log ------------------------------------------------------------------------------


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


def record_view(link: ShareLink, kind: ViewKind, user_agent: str) -> None:
    """The audit row the person sees: when, which browser family, page or PDF."""
    now = now_utc()
    db.session.add(
        ShareView(
            link_id=link.id,
            viewed_at=now,
            browser_family=browser_family(user_agent),
            kind=kind.value,
        )
    )
    link.last_viewed_at = now
    db.session.commit()


def links_of(user_id: int) -> list[ShareLink]:
    """The person's links, newest first."""
    return list(
        db.session.scalars(
            select(ShareLink)
            .where(ShareLink.user_id == user_id)
            .order_by(ShareLink.created_at.desc(), ShareLink.id.desc())
            .options(selectinload(ShareLink.notes))  # counted per link on the page
        )
    )


def view_logs(links: Sequence[ShareLink]) -> dict[int, list[ShareView]]:
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


# --- What a link shows -------------------------------------------------------------------------


def notes_to_pick(user_id: int, today: date) -> list[CheckinRow]:
    """The check-ins with a note that a new link could share, newest first."""
    since = today - timedelta(weeks=NOTE_PICK_WEEKS)
    return list(
        db.session.scalars(
            select(CheckinRow)
            .where(
                CheckinRow.user_id == user_id,
                CheckinRow.date > since,
                CheckinRow.note.is_not(None),
                CheckinRow.note != "",
            )
            .order_by(CheckinRow.date.desc())
        )
    )


def shared_note_dates(link: ShareLink) -> frozenset[date]:
    """The dates of the notes ticked for this link; none unless notes are included at all."""
    if not link.include_notes:
        return frozenset()
    dates = db.session.scalars(
        select(CheckinRow.date)
        .join(ShareLinkNote, ShareLinkNote.checkin_id == CheckinRow.id)
        .where(ShareLinkNote.link_id == link.id, CheckinRow.user_id == link.user_id)
    )
    return frozenset(dates)


def load_records(user_id: int, today: date, weeks: int) -> list[CheckIn]:
    """The records coach_summary reads: its window, the first record and the first valid ones."""
    return records_with_anchor(user_id, *window(today, weeks))


def summary_for(
    user: User | SignedIn, weeks: int, note_dates: frozenset[date] = frozenset()
) -> CoachSummary:
    today = local_today(user.timezone)
    records = load_records(user.id, today, weeks)
    dismissals = load_dismissals(user.id, window(today, weeks)[0])
    return coach_summary(records, dismissals, today, weeks, note_dates)


def link_summary(link: ShareLink) -> CoachSummary | None:
    """The summary the link shares; None only if its owner is gone."""
    owner = db.session.get(User, link.user_id)
    if owner is None:  # pragma: no cover - the link goes with the account (ON DELETE CASCADE)
        return None
    return summary_for(owner, link.period_weeks, shared_note_dates(link))
