"""Without WeasyPrint's libraries (Pango: `make run` where apt-get is missing, issue 19) the app
starts and every page works; the PDF answers 503 with a clear message in the reader's language,
and the share pages say so instead of offering a button that fails."""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from journal.models import ShareView
from journal.web import share_pdf
from tests.web.sharing import count, make_link

MISSING = {
    "nl": "De PDF kan op deze server nu niet worden gemaakt",
    "en": "The PDF cannot be made on this server right now",
}


@pytest.fixture
def no_pango(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """`import weasyprint` fails as it does without Pango: cffi's dlopen raises OSError."""
    real_import = builtins.__import__

    def failing_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "weasyprint" or name.startswith("weasyprint."):
            raise OSError("cannot load library 'libgobject-2.0-0': no such file")
        return real_import(name, *args, **kwargs)

    share_pdf.available.cache_clear()
    monkeypatch.setattr(builtins, "__import__", failing_import)
    yield
    monkeypatch.undo()
    share_pdf.available.cache_clear()


def test_the_persons_pdf_is_a_503_page_in_their_language(
    client: FlaskClient, person: int, no_pango: None
) -> None:
    response = client.get("/share/summary.pdf?weeks=4")
    assert response.status_code == 503
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert MISSING["en"] in page
    assert 'class="card error-page"' in page
    assert 'href="/share"' in page  # back to where the button was


def test_the_share_page_disables_its_pdf_button(
    client: FlaskClient, person: int, no_pango: None
) -> None:
    page = client.get("/share").get_data(as_text=True)
    assert MISSING["en"] in page
    assert '<button class="button" disabled aria-describedby="pdf-unavailable">' in page


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_coach_sees_the_message_instead_of_the_button(
    app: Flask, client: FlaskClient, anon: FlaskClient, person: int, no_pango: None, language: str
) -> None:
    _url, token = make_link(client)
    page = anon.get(f"/s/{token}?lang={language}").get_data(as_text=True)
    assert MISSING[language] in page
    assert f"/s/{token}.pdf" not in page
    views = count(app, ShareView)
    response = anon.get(f"/s/{token}.pdf?lang={language}")
    assert response.status_code == 503
    pdf_page = response.get_data(as_text=True)
    assert MISSING[language] in pdf_page
    assert f'href="/s/{token}?lang={language}"' in pdf_page  # back to the summary
    assert response.headers["Cache-Control"] == "no-store"
    assert count(app, ShareView) == views  # no PDF was seen: the view log says nothing


def test_with_pango_the_buttons_are_there(
    client: FlaskClient, anon: FlaskClient, person: int
) -> None:
    if not share_pdf.available():
        pytest.skip("WeasyPrint's libraries are not installed here")
    assert MISSING["en"] not in client.get("/share").get_data(as_text=True)
    _url, token = make_link(client)
    assert f"/s/{token}.pdf" in anon.get(f"/s/{token}?lang=en").get_data(as_text=True)
