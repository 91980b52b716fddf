"""The "wat speelt er?" page (issue 22): four open questions, one per dynamic of seed 003, as
conversation starters. Free text, each answer the person's own note, shared with a connected
coach only when they tick it. Nothing here classifies, scores or compares the answers.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from journal.domain.phase import REFLECT_MAX_CHARS, Dynamic
from journal.store import phases as store
from journal.web import parsing
from journal.web.phase import clean_text
from journal.web.words import phases as words

bp = Blueprint("reflect", __name__)


def _render(
    texts: dict[Dynamic, str],
    shared: dict[Dynamic, bool],
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    return render_template(
        "reflect/reflect.html",
        questions=list(Dynamic),
        texts=texts,
        shared=shared,
        words=words,
        max_chars=REFLECT_MAX_CHARS,
        errors=errors or {},
    ), status


@bp.get("/reflect")
@login_required
def page() -> ResponseReturnValue:
    stored = store.answers(current_user.id)
    return _render(
        {q: row.text for q, row in stored.items()},
        {q: row.shared_with_coach for q, row in stored.items()},
    )


@bp.post("/reflect")
@login_required
def save() -> ResponseReturnValue:
    """Store all four answers at once; a text past the limit is refused (never cut) and
    every answer stays in its box."""
    texts = {q: clean_text(request.form.get(f"text_{q.value}", "")) for q in Dynamic}
    shared = {q: request.form.get(f"share_{q.value}") == "1" for q in Dynamic}
    errors: dict[str, str] = {}
    for question, text in texts.items():
        if len(text) > REFLECT_MAX_CHARS:
            errors[question.value] = _(
                "This answer has %(count)s characters; %(max)s fit. Everything you wrote is "
                "still here: could you shorten it?",
                count=len(text),
                max=REFLECT_MAX_CHARS,
            )
        elif not parsing.storable(text):
            errors[question.value] = str(parsing.UNSTORABLE)
    if errors:
        return _render(texts, shared, errors, status=422)
    store.save_answers(current_user.id, texts, shared)
    flash(_("Your answers are saved."))
    return redirect(url_for("reflect.page"))
