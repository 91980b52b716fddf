"""Share and unsubscribe tokens never reach a log: werkzeug's real request log line, and the
filter itself."""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from datetime import UTC, datetime

import pytest
from flask import Flask
from flask.testing import FlaskClient

from journal.reminders.mail import unsubscribe_token
from journal.web import log_redaction
from tests.web.sharing import make_link


def test_the_token_is_absent_from_the_logs(
    client: FlaskClient,
    anon: FlaskClient,
    person: int,
    served: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _url, token = make_link(client)
    caplog.set_level(logging.DEBUG)
    for suffix in ("", ".pdf", "x"):  # open, its PDF, and a mistyped token (a 404)
        try:
            with urllib.request.urlopen(f"{served}/s/{token}{suffix}", timeout=30) as answer:
                answer.read()
        except urllib.error.HTTPError as error:
            assert error.code == 404
    anon.get(f"/s/{token}")
    werkzeug_lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any("/s/[redacted]" in line for line in werkzeug_lines), werkzeug_lines
    assert token not in caplog.text
    assert token[:16] not in caplog.text


def test_the_filter_rewrites_args_and_keeps_the_record() -> None:
    record = logging.LogRecord(
        "werkzeug",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /s/abcDEF_-12.pdf HTTP/1.1", 200, 5),
        None,
    )
    assert log_redaction.RedactTokens().filter(record) is True
    assert record.getMessage() == '"GET /s/[redacted].pdf HTTP/1.1" 200 5'


def test_an_unsubscribe_token_is_absent_from_the_logs(
    app: Flask, person: int, served: str, caplog: pytest.LogCaptureFixture
) -> None:
    with app.app_context():
        token = unsubscribe_token(app, person, datetime(2026, 1, 1, tzinfo=UTC))
    assert "." in token  # itsdangerous joins its parts with dots, unlike a share token
    caplog.set_level(logging.DEBUG)
    for method, suffix in (("GET", ""), ("POST", ""), ("POST", "/undo"), ("GET", "x")):
        request = urllib.request.Request(f"{served}/unsubscribe/{token}{suffix}", method=method,
                                         data=b"" if method == "POST" else None)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                answer.read()
        except urllib.error.HTTPError as error:
            assert error.code in {400, 404}
    werkzeug_lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert sum("/unsubscribe/[redacted]" in line for line in werkzeug_lines) == 4, werkzeug_lines
    assert any("/unsubscribe/[redacted]/undo" in line for line in werkzeug_lines)
    for part in token.split("."):
        assert part not in caplog.text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("GET /unsubscribe/WzEsMV0.aBc.x-Y_z HTTP/1.1", "GET /unsubscribe/[redacted] HTTP/1.1"),
        ("POST /unsubscribe/WzEsMV0.aBc.xYz/undo HTTP/1.1",
         "POST /unsubscribe/[redacted]/undo HTTP/1.1"),
        ("GET /s/abc?x=1 HTTP/1.1", "GET /s/[redacted]?x=1 HTTP/1.1"),
        # The links in account e-mails (issue 19).
        ("GET /password/reset/abc-DEF_12 HTTP/1.1", "GET /password/reset/[redacted] HTTP/1.1"),
        ("POST /password/reset/abc?x=1 HTTP/1.1", "POST /password/reset/[redacted]?x=1 HTTP/1.1"),
        ("GET /email/verify/abc-DEF_12 HTTP/1.1", "GET /email/verify/[redacted] HTTP/1.1"),
        ("GET /password/forgot HTTP/1.1", "GET /password/forgot HTTP/1.1"),
        ("GET /settings HTTP/1.1", "GET /settings HTTP/1.1"),
    ],
)
def test_the_filter_rewrites_both_kinds_of_token(line: str, expected: str) -> None:
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '"%s"', (line,), None)
    assert log_redaction.RedactTokens().filter(record) is True
    assert record.getMessage() == f'"{expected}"'


def test_account_links_are_absent_from_the_logs(served: str, caplog: pytest.LogCaptureFixture) -> None:
    """The links in account e-mails (issue 19): a new password, the address confirmed."""
    token = "Zq3_" + "x" * 39  # the shape of a real one; unknown, so each answers 404
    caplog.set_level(logging.DEBUG)
    for path in (f"/password/reset/{token}", f"/email/verify/{token}"):
        try:
            with urllib.request.urlopen(f"{served}{path}", timeout=30) as answer:
                answer.read()
        except urllib.error.HTTPError as error:
            assert error.code == 404
    werkzeug_lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any("/password/reset/[redacted]" in line for line in werkzeug_lines), werkzeug_lines
    assert any("/email/verify/[redacted]" in line for line in werkzeug_lines), werkzeug_lines
    assert token not in caplog.text
