"""Helpers of the share tests: Sanne's diary, making a link through the form, counting rows.

FROZEN_NOW is Tuesday 10 March 2026, 08:30 in Amsterdam. The person's diary is the demo diary
(8 weeks up to today, with a few missed days and a note), so every part of the summary has data.
The `person` and `anon` fixtures built on these live in tests/web/conftest.py.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from flask import Flask, render_template
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy import func, select

from journal.demo import demo_diary
from journal.domain.checkin import CheckIn
from journal.domain.coach import CoachSummary, coach_summary
from journal.extensions import db
from journal.models import CheckinRow
from journal.web.share_words import summary_context

TODAY = date(2026, 3, 10)
EMAIL = "sanne@example.org"
OTHER_EMAIL = "other@example.org"
NOTE_DAYS = (2, 9, 20)  # days back from today with a note
CHROME = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
)
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
LINK_RE = re.compile(r'value="(http://localhost/s/([A-Za-z0-9_-]+))"')


def note_text(back: int) -> str:
    return f"Notitie {back} dagen terug: vandaag rustig aan gedaan"


def diary(today: date = TODAY) -> list[CheckIn]:
    records = [replace(r, note=None) for r in demo_diary(today)]
    with_notes = {today - timedelta(days=back) for back in NOTE_DAYS}
    return [
        replace(r, note=note_text((today - r.date).days)) if r.date in with_notes else r
        for r in records
    ]


def make_link(client: FlaskClient, **form: Any) -> tuple[str, str]:
    """POST /share; returns (url, token) as shown once on the page."""
    data = {"label": "mijn coach", "weeks": "4", "expiry": "30", **form}
    response = client.post("/share", data=data)
    assert response.status_code == 201, response.status_code
    match = LINK_RE.search(response.get_data(as_text=True))
    assert match is not None
    return match.group(1), match.group(2)


def note_ids(app: Flask, user_id: int) -> dict[int, int]:
    """Check-in id by days back, for the days with a note."""
    with app.app_context():
        rows = db.session.execute(
            select(CheckinRow.id, CheckinRow.date).where(
                CheckinRow.user_id == user_id, CheckinRow.note.is_not(None)
            )
        )
        return {(TODAY - d).days: i for i, d in rows}


def count(app: Flask, model: type) -> int:
    with app.app_context():
        return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def snapshot(app: Flask) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to prove a request changed nothing."""
    with app.app_context():
        db.session.remove()
        out = {}
        for table in db.metadata.sorted_tables:
            rows = db.session.execute(select(table)).all()
            out[table.name] = sorted(tuple(map(repr, row)) for row in rows)
        return out


def pdftotext(pdf: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def summary_of(today: date = TODAY, weeks: int = 4) -> CoachSummary:
    """The coach summary of the diary, straight from the domain (no database)."""
    return coach_summary(diary(today), [], today, weeks)


def render_summary(
    app: Flask, summary: CoachSummary, language: str, template: str = "share/summary.html"
) -> str:
    """The coach page (or, with share/summary_pdf.html, the PDF's HTML) in a language."""
    with app.test_request_context("/"), force_locale(language):
        return render_template(
            template, language=language, pdf_url="/s/x.pdf", **summary_context(summary)
        )
