"""The "Patronen" page, the one place with the full text of every active flag (home shows a
card's one sentence and links here), and dismissing signposts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from journal.clock import local_today, now_utc
from journal.domain.lifecycle import SIGNPOSTS, by_priority, improvement_host
from journal.domain.rules import Flag
from journal.extensions import db
from journal.models import SignpostDismissal
from journal.store.flag_states import today_for
from journal.web import words

bp = Blueprint("patterns", __name__)


@bp.get("/patterns")
@login_required
def patterns() -> ResponseReturnValue:
    today = local_today(current_user.timezone)
    state = today_for(current_user.id, today)
    active = by_priority(state.results)
    # The cards' precedence (journal.domain.lifecycle): with a signpost active, IMPROVING is
    # said on the signpost's card, not as a card of the opposite tone under it.
    host = improvement_host(r.flag for r in active)
    improving = state.result(Flag.IMPROVING)
    return render_template(
        "patterns/patterns.html",
        today=today,
        active=[r for r in active if host is None or r.flag is not Flag.IMPROVING],
        host=host,
        also=improving.reasons if host is not None else (),
        chain=state.result(Flag.REST_NO_RECOVERY),
        words=words,
    )


@bp.post("/patterns/dismiss")
@login_required
def dismiss() -> ResponseReturnValue:
    """Close a signpost card; with a reason it stays away for 28 days, without for 14."""
    try:
        flag = Flag(request.form.get("flag", ""))
    except ValueError:
        abort(400)
    if flag not in SIGNPOSTS:
        abort(400)
    reason = request.form.get("dismiss_reason") or None
    if reason is not None and reason not in words.DISMISS_REASONS:
        abort(400)
    today = local_today(current_user.timezone)
    result = today_for(current_user.id, today).result(flag)
    db.session.add(
        SignpostDismissal(
            user_id=current_user.id,
            flag=flag.value,
            day=today,
            reasons=";".join(result.reasons),
            dismiss_reason=reason,
            created_at=now_utc(),
        )
    )
    db.session.commit()
    flash(_("Thank you. We will not show this again for now."))
    return redirect(url_for("home.index"))
