"""The coach summary as a PDF: what it shows, the person's own copy, and a renderer that never
touches the network. Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale

from journal.domain.coach import Row
from journal.extensions import db
from journal.models import User
from journal.store import share_links
from journal.web import share_pdf, share_words
from tests.web.sharing import make_link, note_text, pdftotext


def pdf_pages(pdf: bytes) -> int:
    result = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    match = re.search(r"^Pages:\s+(\d+)", result.stdout.decode(), re.M)
    assert match is not None
    return int(match.group(1))


def screenshot_dir(config: pytest.Config) -> Path:
    try:
        output = config.getoption("output")
    except ValueError:  # pytest-playwright not loaded: its --output default
        output = "test-results"
    folder = Path(output) / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_the_pdf_renders_the_period_and_the_week(
    client: FlaskClient,
    anon: FlaskClient,
    app: Flask,
    person: int,
    tmp_path: Path,
    pytestconfig: pytest.Config,
) -> None:
    _url, token = make_link(client, weeks="8")
    response = anon.get(f"/s/{token}.pdf?lang=en")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    disposition = response.headers["Content-Disposition"]
    assert 'filename="coach-summary_2026-01-14_2026-03-10.pdf"' in disposition
    assert pdf_pages(response.data) >= 1
    text = pdftotext(response.data)
    with app.test_request_context("/"), force_locale("en"):
        user = db.session.get(User, person)
        assert user is not None
        summary = share_links.summary_for(user, 8)
        cells = {c["row"]: c for c in share_words.row_cells(summary)}
    assert "Period: 14 Jan – 10 Mar 2026 (8 weeks)" in text
    assert "This week: 9 Mar – 10 Mar 2026" in text  # G.3: the ISO week of today
    assert f"{summary.checkins.n} of {summary.checkins.days} days" in text
    for row in (Row.RI, Row.AI, Row.MORNING_ENERGY, Row.SE):
        line = next(line for line in text.splitlines() if str(cells[row]["label"])[:20] in line)
        assert cells[row]["mean"] in line, (row, line)
    # One page as an image, kept with the test output.
    (tmp_path / "summary.pdf").write_bytes(response.data)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "80",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(tmp_path / "summary.pdf"),
            str(tmp_path / "page1"),
        ],
        check=True,
    )
    target = screenshot_dir(pytestconfig) / "share-pdf-page1.png"
    shutil.copyfile(tmp_path / "page1.png", target)
    assert target.stat().st_size > 10_000


def test_the_own_pdf(client: FlaskClient, person: int) -> None:
    response = client.get("/share/summary.pdf?weeks=2")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "coach-summary_2026-02-25_2026-03-10.pdf" in response.headers["Content-Disposition"]
    assert note_text(2) not in pdftotext(response.data)
    assert client.get("/share/summary.pdf?weeks=5").status_code == 404


def test_pdf_rendering_never_touches_the_network(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_network(*_args: Any, **_kwargs: Any) -> None:
        raise AssertionError("the PDF renderer tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    html = (
        '<html><head><link rel="stylesheet" href="share.css">'
        '<link rel="stylesheet" href="https://fonts.example.org/x.css"></head><body>'
        '<img src="http://example.org/tracker.png"><img src="//example.org/x.png">'
        '<img src="file:///etc/passwd"><p>hello</p></body></html>'
    )
    with app.test_request_context("/"):
        fetcher = share_pdf.local_fetcher()
        pdf = share_pdf.render_pdf(html, fetcher)
    assert pdf.startswith(b"%PDF")
    assert sorted(fetcher.refused) == sorted(
        [
            "https://fonts.example.org/x.css",
            "http://example.org/tracker.png",
            "file://example.org/x.png",  # a scheme-relative address, against the file base
            "file:///etc/passwd",
        ]
    )
