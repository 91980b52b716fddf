"""The coach summary as an A4 PDF (WeasyPrint), rendered without ever touching the network.

The URL fetcher serves files from the static folder and data: URLs and refuses every other
address, so a stray http(s) address in a template fails closed instead of calling out.
"""

from __future__ import annotations

import mimetypes
from functools import cache
from pathlib import Path
from typing import Any

from flask import Response, current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from journal.domain.coach import CoachSummary
from journal.web.errors import error_page
from journal.web.share_words import summary_context

UNAVAILABLE = _l(
    "The PDF cannot be made on this server right now: the software it needs is not installed."
)


@cache
def available() -> bool:
    """Whether WeasyPrint can load its system libraries (Pango, HarfBuzz).

    Where they are missing (`make run` installs them only where apt-get is), importing it
    raises OSError: the app still starts, the share pages say the PDF is unavailable and the
    PDF routes answer 503. Tried once per process, on the first share page or PDF.
    """
    try:
        import weasyprint  # noqa: F401
    except (OSError, ImportError):
        return False
    return True


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


def unavailable_note() -> str | None:
    """What the share pages say in place of the PDF button; None when the PDF can be made."""
    return None if available() else str(UNAVAILABLE)


def pdf_name(summary: CoachSummary) -> str:
    return f"coach-summary_{summary.period_first.isoformat()}_{summary.last_day.isoformat()}.pdf"


def pdf_response(
    summary: CoachSummary,
    back_url: str,
    template: str = "share/summary_pdf.html",
    **extra: object,
) -> Response:
    """The summary as a PDF download, in the locale that is active; without WeasyPrint's
    libraries a 503 page that leads back to `back_url`. `template` and `extra`: a page that
    adds parts after the summary (the connected coach's, issue 20)."""
    if not available():
        return error_page(503, message=UNAVAILABLE, back_url=back_url, back_label=_("Go back"))
    html = render_template(template, **summary_context(summary), **extra)
    response = Response(render_pdf(html), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{pdf_name(summary)}"'
    return response
