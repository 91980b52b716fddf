"""The share store: which links open, the browser family kept of a view, and each link's view
log. Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from journal.extensions import db
from journal.models import ShareLink, ShareView
from journal.store import share_links
from journal.store.share_links import LinkStatus
from tests.conftest import FROZEN_NOW, Accounts, set_english
from tests.web.sharing import CHROME, EMAIL, FIREFOX, TODAY


@pytest.fixture
def person(app: Flask, accounts: Accounts) -> int:
    """A person without a diary, logged in (English, to read the msgids)."""
    user_id = accounts.create(EMAIL)
    set_english(app, user_id)
    assert accounts.login(EMAIL).status_code == 302
    return user_id


def new_link(user_id: int, label: str, expiry_days: int = 30) -> str:
    return share_links.create_link(
        user_id,
        TODAY,
        label=label,
        weeks=4,
        expiry_days=expiry_days,
        picked_notes=set(),
        include_notes=False,
    )


def test_only_an_open_link_opens(app: Flask, accounts: Accounts) -> None:
    owner = accounts.create(EMAIL)
    stranger = accounts.create("someone@example.org")
    with app.app_context():
        closing, expiring, staying = (
            new_link(owner, "C"),
            new_link(owner, "E", 7),
            new_link(owner, "S"),
        )
        link = share_links.open_link(closing)
        assert link is not None and link.label == "C"
        assert share_links.close_link(stranger, link.id) is None  # not theirs
        closed = share_links.close_link(owner, link.id)
        assert closed is not None and closed.revoked_at == FROZEN_NOW
        app.config["FIXED_NOW"] = FROZEN_NOW + timedelta(days=7)  # exactly at its end: closed
        try:
            again = share_links.close_link(owner, link.id)
            assert again is not None and again.revoked_at == FROZEN_NOW  # the first moment stays
            for token in (closing, expiring, "A" * 43, "abc", closing + "x"):
                assert share_links.open_link(token) is None, token
            assert share_links.open_link(staying) is not None
            now = FROZEN_NOW + timedelta(days=7)
            statuses = {
                row.label: share_links.link_status(row, now)
                for row in db.session.scalars(select(ShareLink))
            }
        finally:
            app.config["FIXED_NOW"] = FROZEN_NOW
    assert statuses == {"C": LinkStatus.REVOKED, "E": LinkStatus.EXPIRED, "S": LinkStatus.OPEN}


@pytest.mark.parametrize(
    ("agent", "family"),
    [
        (CHROME, "Chrome"),
        (FIREFOX, "Firefox"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Version/17.5 Safari/605.1.15",
            "Safari",
        ),
        (CHROME + " Edg/126.0.2592.87", "Edge"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) CriOS/126.0 Mobile/15E148 Safari/604.1",
            "Chrome",
        ),
        ("curl/8.5.0", "other"),
        ("", "other"),
    ],
)
def test_browser_family(agent: str, family: str) -> None:
    assert share_links.browser_family(agent) == family


def test_each_link_shows_its_own_latest_views(client: FlaskClient, app: Flask, person: int) -> None:
    with app.app_context():
        new_link(person, "A")
        new_link(person, "B")
    shown = share_links.VIEW_LOG_SHOWN
    with app.app_context():
        a, b = db.session.scalars(select(ShareLink).order_by(ShareLink.id)).all()
        start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
        for i in range(shown + 2):
            db.session.add(
                ShareView(
                    link_id=a.id,
                    viewed_at=start + timedelta(hours=i),
                    kind="page",
                    browser_family="Firefox",
                )
            )
        db.session.add(
            ShareView(link_id=b.id, viewed_at=start, kind="pdf", browser_family="Chrome")
        )
        db.session.commit()
        logs = share_links.view_logs([a, b])
        assert [v.viewed_at for v in logs[a.id]] == [
            start + timedelta(hours=i) for i in range(shown + 1, 1, -1)
        ]
        assert [(v.kind, v.browser_family) for v in logs[b.id]] == [("pdf", "Chrome")]
    page = client.get("/share").get_data(as_text=True)
    assert f"View log ({shown} views)" in page and "View log (1 view)" in page
