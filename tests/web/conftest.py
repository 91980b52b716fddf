"""Fixtures of the share tests (test_share, test_share_pdf, test_log_redaction): the person
who shares, logged in, and the coach, who has no account."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import Accounts, set_english, store_diary
from tests.web.sharing import EMAIL, diary


@pytest.fixture
def person(app: Flask, accounts: Accounts) -> int:
    """Sanne, logged in (English, to read the msgids), with 8 weeks of diary."""
    user_id = accounts.create(EMAIL)
    set_english(app, user_id)
    store_diary(app, user_id, diary())
    assert accounts.login(EMAIL).status_code == 302
    return user_id


@pytest.fixture
def anon(app: Flask) -> FlaskClient:
    """The coach: a client without any cookie."""
    return app.test_client()
