"""The coach summary as a PDF: what it shows, the person's own copy, and a renderer that never
touches the network. Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import itertools
import re
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import cssselect2
import pytest
import tinyhtml5
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, format_date
from fontTools.ttLib import TTFont
from PIL import Image

from journal import create_app
from journal.domain.coach import Quadrant, Row
from journal.extensions import db
from journal.models import User
from journal.store import share_links
from journal.web import chart_text, coach_charts, share_pdf, share_words
from tests.web.sharing import TODAY, make_link, note_text, pdftotext, render_summary, summary_of


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


# --- Everything fits the A4 page (issue 18) -------------------------------------------------

A4_PORTRAIT = re.compile(r"^Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)", re.M)


@pytest.fixture(scope="module")
def pdf_app() -> Iterator[Flask]:
    """The PDF is rendered from a summary; no database is touched."""
    yield create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "test"})


def squeezed(value: str) -> str:
    return " ".join(value.split())


def column_headers(html: str) -> list[str]:
    root = cssselect2.ElementWrapper.from_html_root(tinyhtml5.parse(html))
    return [
        squeezed("".join(th.etree_element.itertext())) for th in root.query_all('th[scope="col"]')
    ]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("weeks", [2, 4, 8])
def test_every_table_and_the_chain_fit_the_a4_page(
    pdf_app: Flask, weeks: int, language: str
) -> None:
    """Issue 18: the PDF cut the chain matrix off four days before the period's end and the
    week-by-week table at "Outdoors (min". On an A4 page every column header of every table is
    printed whole, and the chain's part of the PDF reaches the period's last day."""
    summary = summary_of(TODAY, weeks)
    html = render_summary(pdf_app, summary, language, "share/summary_pdf.html")
    with pdf_app.test_request_context("/"), force_locale(language):
        pdf = share_pdf.render_pdf(html)
        last_day = str(format_date(summary.last_day, "d MMM"))
        chain_heading = squeezed(
            re.sub(r"<[^>]+>", "", re.search(r'id="h-chain">(.*?)</h3>', html, re.S).group(1))  # type: ignore[union-attr]
        )
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True)
    assert A4_PORTRAIT.search(info.stdout.decode()), info.stdout.decode()
    text = squeezed(pdftotext(pdf))
    headers = column_headers(html)
    assert len(headers) > 20
    missing = [header for header in headers if header not in text]
    assert missing == []
    chain = text[text.index(chain_heading) :]
    assert last_day in chain[: chain.index(column_headers_after_chain(html))]


def column_headers_after_chain(html: str) -> str:
    """The first heading after the chain's: where its part of the PDF text ends."""
    rest = html[html.index('id="h-chain"') :]
    match = re.search(r"<h2[^>]*>(.*?)</h2>", rest, re.S)
    assert match is not None
    return squeezed(re.sub(r"<[^>]+>", "", match.group(1)))


# --- The quadrant chart's names never collide (issue 18) -------------------------------------

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def quadrant_names(app: Flask, language: str) -> dict[Quadrant, str]:
    with app.test_request_context("/"), force_locale(language):
        return {q: str(name) for q, name in share_words.QUADRANTS.items()}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_quadrant_names_fit_their_own_quadrant(pdf_app: Flask, language: str) -> None:
    """Issue 18: "…weinig herstelgeactiveerd, herstellend": the two upper names ran into each
    other. Each name is wrapped inside its own quadrant, so no two can meet; and the width
    the chart reckons with is at least the width DejaVu Sans (the PDF's font) really takes."""
    chart = coach_charts.pattern_mix(summary_of(TODAY, 8).blocks, quadrant_names(pdf_app, language))
    assert {label.quadrant for label in chart.labels} == set(Quadrant)
    for label in chart.labels:
        assert chart.quadrants[label.quadrant].holds(label.box), label
        assert len(label.lines) <= 3
    for a, b in itertools.combinations(chart.labels, 2):
        assert not a.box.overlaps(b.box), (a.quadrant, b.quadrant)
    if DEJAVU.exists():
        font = TTFont(DEJAVU)
        widths, glyphs, em = font["hmtx"], font.getBestCmap(), font["head"].unitsPerEm
        for label in chart.labels:
            for line, _y in label.lines:
                real = label.size * sum(widths[glyphs[ord(c)]][0] for c in line) / em
                assert real <= chart_text.text_width(line, label.size), line


def test_a_long_name_wraps_inside_and_a_long_word_shrinks() -> None:
    """Names longer than today's (a future translation) still wrap inside their quadrant; a
    single word too wide for it is drawn at the smallest size."""
    many = {
        q: "weinig activatie, weinig herstel en dan nog wat meer woorden erbij" for q in Quadrant
    }
    chart = coach_charts.pattern_mix((), many)
    for label in chart.labels:
        assert chart.quadrants[label.quadrant].holds(label.box), label
        assert len(label.lines) > 2
    for a, b in itertools.combinations(chart.labels, 2):
        assert not a.box.overlaps(b.box)
    wide = {q: "herstelgeactiveerdheidsniveaus" for q in Quadrant}
    assert {label.size for label in coach_charts.pattern_mix((), wide).labels} == {8}


def test_the_timeline_dates_never_touch(pdf_app: Flask) -> None:
    """The lanes' date labels (each Monday's and the last day's) keep apart: "9 10" no more."""
    for weeks in (2, 4, 8):
        summary = summary_of(TODAY, weeks)
        with pdf_app.test_request_context("/"), force_locale("nl"):
            lanes = share_words.summary_context(summary)["lanes"]
        assert lanes.labels[-1].text == "10 mrt"
        for a, b in itertools.pairwise(lanes.labels):
            assert a.box.right < b.box.left, (a.text, b.text)
        assert lanes.labels[0].box.left >= 0 and lanes.labels[-1].box.right <= lanes.width


def ink_box(png: Path) -> tuple[int, int, int, int] | None:
    """The bounding box of the dark pixels (text ink), in pixels; None on a blank image."""
    image = Image.open(png).convert("L").point(lambda v: 255 if v < 128 else 0)
    return image.getbbox()


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_quadrant_names_do_not_overlap_on_paper(
    pdf_app: Flask, tmp_path: Path, language: str
) -> None:
    """The pattern chart as the PDF draws it, one quadrant name at a time (nothing else dark
    on the page): the ink of each name lies inside its own quadrant, so no two names overlap."""
    summary = summary_of(TODAY, 8)
    html = render_summary(pdf_app, summary, language, "share/summary_pdf.html")
    svg = re.search(r'<svg class="chart mix".*?</svg>', html, re.S).group(0)  # type: ignore[union-attr]
    chart = coach_charts.pattern_mix(summary.blocks, quadrant_names(pdf_app, language))
    texts = re.findall(r"<text\b.*?</text>", svg, re.S)
    bare = re.sub(
        r"<text\b.*?</text>|<line\b[^>]*>|<path\b[^>]*>|<circle\b[^>]*>", "", svg, flags=re.S
    )
    scale = 4  # pixels per viewBox unit at the resolution below
    boxes = []
    for quadrant in Quadrant:
        name = "".join(quadrant_names(pdf_app, language)[quadrant].split())
        found = [t for t in texts if "".join(re.sub(r"<[^>]+>", "", t).split()) == name]
        assert len(found) == 1, (quadrant, name)
        alone = bare.replace("</svg>", found[0] + "</svg>")
        page = (
            "<html><head><style>@page { size: 300px 250px; margin: 0 } body { margin: 0 }"
            "svg { display: block; width: 300px; height: 250px }</style></head>"
            f"<body>{alone}</body></html>"
        )
        with pdf_app.test_request_context("/"):
            (tmp_path / "q.pdf").write_bytes(share_pdf.render_pdf(page))
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(96 * scale),
                "-singlefile",
                str(tmp_path / "q.pdf"),
                str(tmp_path / quadrant.value),
            ],
            check=True,
        )
        ink = ink_box(tmp_path / f"{quadrant.value}.png")
        assert ink is not None, quadrant
        left, top, right, bottom = (v / scale for v in ink)
        room = chart.quadrants[quadrant]
        assert room.left <= left and right <= room.right, (quadrant, ink, room)
        assert room.top <= top and bottom <= room.bottom, (quadrant, ink, room)
        boxes.append(chart_text.Box(left, top, right, bottom))
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)
