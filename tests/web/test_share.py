"""Sharing with a coach (issue 7): the person's links, the coach's page, and what the link must
never do. Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.

The person and their diary: tests/web/sharing.py and the fixtures in tests/web/conftest.py. The
PDF is tested in test_share_pdf.py, the log filter in test_log_redaction.py, the store in
tests/store/test_share_links.py.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale
from sqlalchemy import select

from journal.domain.coach import Row
from journal.extensions import db
from journal.models import CheckinRow, ShareLink, ShareLinkNote, ShareView, User
from journal.store import share_links
from journal.web import share_words
from journal.web.numbers import number
from tests.conftest import FROZEN_NOW, PASSWORD, Accounts, store_diary
from tests.web.sharing import (
    CHROME,
    EMAIL,
    FIREFOX,
    LINK_RE,
    NOTE_DAYS,
    OTHER_EMAIL,
    TODAY,
    count,
    diary,
    make_link,
    note_ids,
    note_text,
    pdftotext,
    snapshot,
)

# --- Creating a link ---------------------------------------------------------------------------


def test_create_shows_the_link_once_and_keeps_only_its_hash(
    client: FlaskClient, app: Flask, person: int
) -> None:
    response = client.post("/share", data={"label": "mijn coach", "weeks": "4", "expiry": "30"})
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    match = LINK_RE.search(page)
    assert match is not None
    token = match.group(2)
    assert len(token) >= 43  # token_urlsafe(32): 256 bits
    assert '<svg role="img" aria-label="QR code of the link"' in page
    with app.app_context():
        link = db.session.scalars(select(ShareLink)).one()
        assert link.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert link.period_weeks == 4 and link.include_notes is False
        assert token not in repr([getattr(link, c.name) for c in ShareLink.__table__.columns])
        expires = link.expires_at - link.created_at
        assert expires == timedelta(days=30)
    again = client.get("/share").get_data(as_text=True)
    assert token not in again  # shown once only
    assert "mijn coach" in again


def test_tokens_differ(client: FlaskClient, person: int) -> None:
    tokens = {make_link(client)[1] for _ in range(3)}
    assert len(tokens) == 3


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"label": ""}, "label"),
        ({"label": "x" * 61}, "label"),
        ({"weeks": "3"}, "weeks"),
        ({"expiry": "365"}, "expiry"),
        ({"weeks": "abc"}, "weeks"),
    ],
)
def test_create_refuses_bad_choices(
    client: FlaskClient, app: Flask, person: int, form: dict[str, str], field: str
) -> None:
    data = {"label": "coach", "weeks": "4", "expiry": "30", **form}
    response = client.post("/share", data=data)
    assert response.status_code == 422
    assert f'id="err-{field}"' in response.get_data(as_text=True)
    assert count(app, ShareLink) == 0


# Numbers no view may trust as they come (issue 17): '²' passes str.isdigit() but not int();
# int() refuses 4,300 digits or more; and a row id past 2**31 - 1 overflows PostgreSQL's integer.
HOSTILE_NUMBERS = {
    "superscript": "²",
    "arabic-indic": "٤",
    "4301-digits": "9" * 4301,
    "20-digits": "99999999999999999999",
    "past-int32": str(2**31),
    "negative": "-4",
}


@pytest.mark.parametrize("field", ["weeks", "expiry"])
@pytest.mark.parametrize("value", HOSTILE_NUMBERS.values(), ids=HOSTILE_NUMBERS.keys())
def test_create_refuses_hostile_numbers_on_the_page(
    client: FlaskClient, app: Flask, person: int, field: str, value: str
) -> None:
    data = {"label": "coach", "weeks": "4", "expiry": "30", field: value}
    response = client.post("/share", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'id="err-{field}"' in page
    assert 'value="coach"' in page  # what was typed stays
    assert count(app, ShareLink) == 0


@pytest.mark.parametrize("value", HOSTILE_NUMBERS.values(), ids=HOSTILE_NUMBERS.keys())
def test_a_hostile_note_id_is_ignored_like_someone_elses(
    client: FlaskClient, app: Flask, person: int, value: str
) -> None:
    mine = str(note_ids(app, person)[2])
    make_link(client, include_notes="1", notes=[value, mine])
    with app.app_context():
        assert db.session.scalars(select(ShareLinkNote.checkin_id)).all() == [int(mine)]


def test_a_name_with_a_nul_gets_its_own_message(client: FlaskClient, app: Flask, person: int) -> None:
    response = client.post("/share", data={"label": "co\x00ach", "weeks": "4", "expiry": "30"})
    assert response.status_code == 422
    assert "This text holds a character that cannot be stored." in response.get_data(as_text=True)
    assert count(app, ShareLink) == 0


@pytest.mark.parametrize("value", HOSTILE_NUMBERS.values(), ids=HOSTILE_NUMBERS.keys())
def test_own_pdf_with_hostile_weeks_is_not_found(client: FlaskClient, person: int, value: str) -> None:
    assert client.get("/share/summary.pdf", query_string={"weeks": value}).status_code == 404


@pytest.mark.parametrize(
    "link_id", ["99999999999999999999999", str(2**31), "9" * 4301, "0", "٣"], ids=["23-digits", "past-int32", "4301-digits", "zero", "arabic-indic"]
)
def test_revoking_a_hostile_id_is_not_found(
    client: FlaskClient, app: Flask, person: int, link_id: str
) -> None:
    make_link(client)
    assert client.post(f"/share/{link_id}/revoke").status_code == 404
    with app.app_context():
        assert db.session.scalars(select(ShareLink.revoked_at)).all() == [None]


def test_the_person_pages_need_login(anon: FlaskClient, app: Flask, person: int) -> None:
    for path in ("/share", "/share/summary.pdf"):
        response = anon.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert anon.post("/share", data={"label": "x", "weeks": "4", "expiry": "7"}).status_code == 302
    assert count(app, ShareLink) == 0


def test_account_page_links_to_sharing(client: FlaskClient, person: int) -> None:
    page = client.get("/account").get_data(as_text=True)
    assert 'href="/share"' in page
    assert "Share with your coach" in page


# --- The coach's page --------------------------------------------------------------------------


def test_coach_page_renders_the_summary_with_share_headers(
    client: FlaskClient, anon: FlaskClient, app: Flask, person: int
) -> None:
    _url, token = make_link(client)
    response = anon.get(f"/s/{token}", headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Robots-Tag"] == "noindex"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    page = response.get_data(as_text=True)
    for heading in (
        "Coach summary",
        "At a glance",
        "This week in figures",
        "What stood out, day by day",
        ": the links day by day",  # after the pattern's one name (journal.web.words)
        "Pattern mix",
        "Rest and recovery",
        "Contact and support",
        "Outdoor movement",
        "Observations only.",
    ):
        assert heading in page, heading
    assert "Period: 11 Feb – 10 Mar 2026 (4 weeks)" in page
    # Standalone: none of the app's navigation or forms, nothing that leads into the app.
    for absent in ('href="/checkin"', 'href="/account"', 'href="/patterns"', "<form", EMAIL):
        assert absent not in page, absent
    assert f'href="/s/{token}.pdf?lang=en"' in page


def test_coach_page_language_follows_browser_then_switch(
    client: FlaskClient, anon: FlaskClient, person: int
) -> None:
    _url, token = make_link(client)
    dutch = anon.get(f"/s/{token}", headers={"Accept-Language": "nl-NL,nl;q=0.9"})
    assert '<html lang="nl">' in dutch.get_data(as_text=True)
    assert "10 mrt 2026" in dutch.get_data(as_text=True)
    english_page = anon.get(f"/s/{token}?lang=en", headers={"Accept-Language": "nl"})
    assert '<html lang="en">' in english_page.get_data(as_text=True)
    assert "10 Mar 2026" in english_page.get_data(as_text=True)
    # The person's own language setting (English) does not decide the coach's page.
    assert '<html lang="nl">' in client.get(f"/s/{token}?lang=nl").get_data(as_text=True)


def test_coach_page_language_is_never_the_persons(
    client: FlaskClient, anon: FlaskClient, app: Flask, accounts: Accounts, person: int
) -> None:
    """Without ?lang the browser decides, not the language of the link's owner or of whoever is
    logged in on the browser that opens it."""
    _url, english_owners = make_link(client)  # Sanne's language is English
    for opener in (anon, client):  # a coach, and Sanne herself, logged in, in English
        page = opener.get(f"/s/{english_owners}", headers={"Accept-Language": "nl"})
        assert page.status_code == 200
        assert '<html lang="nl">' in page.get_data(as_text=True)
        assert "10 mrt 2026" in page.get_data(as_text=True)
    accounts.logout()
    dutch = accounts.create(OTHER_EMAIL)  # a new account is Dutch
    with app.app_context():
        assert db.session.get(User, dutch).language == "nl"  # type: ignore[union-attr]
    store_diary(app, dutch, diary())
    assert accounts.login(OTHER_EMAIL).status_code == 302
    _url, dutch_owners = make_link(client)
    for opener in (anon, client):  # a coach, and the Dutch owner herself, logged in
        page = opener.get(f"/s/{dutch_owners}", headers={"Accept-Language": "en-GB,en;q=0.9"})
        assert page.status_code == 200
        assert '<html lang="en">' in page.get_data(as_text=True)
        assert "10 Mar 2026" in page.get_data(as_text=True)


def test_the_week_figures_match_the_domain(
    client: FlaskClient, anon: FlaskClient, app: Flask, person: int
) -> None:
    _url, token = make_link(client, weeks="8")
    page = anon.get(f"/s/{token}?lang=en").get_data(as_text=True)
    with app.test_request_context("/"), force_locale("en"):
        user = db.session.get(User, person)
        assert user is not None
        summary = share_links.summary_for(user, 8)
        cells = {c["row"]: c for c in share_words.row_cells(summary)}
    assert summary.last_day == TODAY
    # G.3: the week is the ISO week of today (Monday 9 – Tuesday 10 March), as on /week.
    assert (summary.checkins.n, summary.checkins.days) == (2, 2)
    assert "2 of 2 days" in re.sub(r"<[^>]+>", "", page)
    ri = cells[Row.RI]
    assert re.search(rf'data-figure="RI-mean">{re.escape(ri["mean"])}</td>', page)
    assert ri["mean"] == number(summary.metric(Row.RI).mean, 0)


def test_notes_absent_unless_included_then_only_the_ticked(
    client: FlaskClient, anon: FlaskClient, app: Flask, person: int
) -> None:
    ids = note_ids(app, person)
    # Ticked, but notes not included: nothing.
    _url, token = make_link(client, notes=[str(ids[2])])
    page = anon.get(f"/s/{token}").get_data(as_text=True)
    assert all(note_text(back) not in page for back in NOTE_DAYS)
    # Included, nothing ticked: nothing.
    _url, token = make_link(client, include_notes="1")
    page = anon.get(f"/s/{token}").get_data(as_text=True)
    assert all(note_text(back) not in page for back in NOTE_DAYS)
    # Included and two ticked: exactly those two.
    _url, token = make_link(client, include_notes="1", notes=[str(ids[2]), str(ids[20])])
    page = anon.get(f"/s/{token}").get_data(as_text=True)
    assert note_text(2) in page and note_text(20) in page
    assert note_text(9) not in page
    pdf_text = pdftotext(anon.get(f"/s/{token}.pdf").data)
    assert "vandaag rustig aan gedaan" in pdf_text and note_text(9) not in pdf_text


def test_notes_outside_the_period_or_of_others_cannot_be_ticked(
    client: FlaskClient, app: Flask, accounts: Accounts, person: int
) -> None:
    other = accounts.create(OTHER_EMAIL)
    store_diary(app, other, [replace(r, note="van iemand anders") for r in diary()[-3:]])
    others = note_ids(app, other)
    mine = note_ids(app, person)
    # Two weeks: the note of 20 days back lies outside; the other person's is not mine.
    make_link(
        client, weeks="2", include_notes="1", notes=[str(mine[20]), *map(str, others.values())]
    )
    make_link(client, weeks="2", include_notes="1", notes=[str(mine[2])])
    with app.app_context():
        ticked = db.session.scalars(select(ShareLinkNote.checkin_id)).all()
        links = db.session.scalars(select(ShareLink).order_by(ShareLink.id)).all()
        assert ticked == [mine[2]]
        assert [link.include_notes for link in links] == [False, True]


def test_another_persons_data_never_shows(
    client: FlaskClient, anon: FlaskClient, app: Flask, accounts: Accounts, person: int
) -> None:
    other = accounts.create(OTHER_EMAIL)
    store_diary(app, other, [replace(r, note="geheim van de ander") for r in diary(TODAY)])
    with app.app_context():
        db.session.execute(
            CheckinRow.__table__.update()
            .where(CheckinRow.user_id == other)
            .values(morning_energy=0, refreshed=0, startup_effort=10)
        )
        db.session.commit()
    _url, token = make_link(client, include_notes="1", notes=[str(note_ids(app, person)[2])])
    page = anon.get(f"/s/{token}?lang=en").get_data(as_text=True)
    assert "geheim van de ander" not in page and OTHER_EMAIL not in page
    with app.test_request_context("/"), force_locale("en"):
        user = db.session.get(User, person)
        assert user is not None
        mean = number(share_links.summary_for(user, 4).metric(Row.RI).mean, 0)
    assert re.search(rf'data-figure="RI-mean">{re.escape(mean)}</td>', page)


# --- Revoked, expired, unknown: one and the same 404 --------------------------------------------


def _gone_parts(response: Any) -> tuple[int, bytes, dict[str, str]]:
    keep = ("Content-Type", "Cache-Control", "X-Robots-Tag", "Referrer-Policy")
    return response.status_code, response.data, {k: response.headers.get(k, "") for k in keep}


def test_revoked_expired_and_unknown_answer_the_same_404(
    client: FlaskClient, anon: FlaskClient, app: Flask, person: int
) -> None:
    _url, revoked = make_link(client, label="coach R")
    _url, expiring = make_link(client, label="coach E", expiry="7")
    _url, other = make_link(client, label="coach O", expiry="30")
    with app.app_context():
        link_id = db.session.scalar(
            select(ShareLink.id).where(ShareLink.token_hash == share_links.token_hash(revoked))
        )
    assert anon.get(f"/s/{revoked}").status_code == 200
    assert client.post(f"/share/{link_id}/revoke").status_code == 302
    assert anon.get(f"/s/{revoked}").status_code == 404  # at once

    app.config["FIXED_NOW"] = FROZEN_NOW + timedelta(days=7)  # exactly at its end: closed
    try:
        answers = {
            "revoked": anon.get(f"/s/{revoked}"),
            "expired": anon.get(f"/s/{expiring}"),
            "unknown": anon.get(f"/s/{'A' * 43}"),
            "malformed": anon.get("/s/abc"),
        }
        pdfs = {
            "revoked": anon.get(f"/s/{revoked}.pdf"),
            "expired": anon.get(f"/s/{expiring}.pdf"),
            "unknown": anon.get(f"/s/{'A' * 43}.pdf"),
        }
        assert anon.get(f"/s/{other}").status_code == 200  # still open
        page = client.get("/share").get_data(as_text=True)
        assert "revoked" in page and "expired" in page and "open" in page
        # Each link's own status, in its own markup: the hint's "opens" is no status.
        shown = re.findall(
            r'<li class="share-link (\w+)">\s*<h3>([^<]*) <span class="share-status">([^<]*)</span>',
            page,
        )
        assert sorted(shown) == [
            ("expired", "coach E", "expired"),
            ("open", "coach O", "open"),
            ("revoked", "coach R", "revoked"),
        ], shown
        # Only the open link can still be closed.
        assert page.count("Close this link now") == 1
    finally:
        app.config["FIXED_NOW"] = FROZEN_NOW
    parts = {name: _gone_parts(r) for name, r in {**answers, **pdfs}.items()}
    first = parts["revoked"]
    assert first[0] == 404
    assert first[2]["Cache-Control"] == "no-store"
    assert first[2]["Referrer-Policy"] == "no-referrer"
    assert all(p == first for p in parts.values())


def test_only_the_owner_can_revoke(
    client: FlaskClient, app: Flask, accounts: Accounts, person: int
) -> None:
    make_link(client)
    with app.app_context():
        link_id = db.session.scalar(select(ShareLink.id))
    accounts.logout()
    accounts.create(OTHER_EMAIL)
    accounts.login(OTHER_EMAIL)
    assert client.post(f"/share/{link_id}/revoke").status_code == 404
    assert client.post("/share/999999/revoke").status_code == 404
    with app.app_context():
        assert db.session.scalar(select(ShareLink.revoked_at)) is None


# --- Audit ---------------------------------------------------------------------------------------


def test_one_audit_row_per_view(
    client: FlaskClient, anon: FlaskClient, app: Flask, person: int
) -> None:
    _url, token = make_link(client)
    assert anon.get(f"/s/{token}", headers={"User-Agent": CHROME}).status_code == 200
    assert anon.get(f"/s/{token}", headers={"User-Agent": FIREFOX}).status_code == 200
    assert anon.get(f"/s/{token}.pdf", headers={"User-Agent": CHROME}).status_code == 200
    assert anon.head(f"/s/{token}").status_code == 200  # shows nothing, so no row
    assert anon.get(f"/s/{'B' * 43}").status_code == 404
    with app.app_context():
        views = db.session.scalars(select(ShareView).order_by(ShareView.id)).all()
        assert [(v.browser_family, v.kind) for v in views] == [
            ("Chrome", "page"),
            ("Firefox", "page"),
            ("Chrome", "pdf"),
        ]
        link = db.session.scalars(select(ShareLink)).one()
        assert link.last_viewed_at is not None
        # Only the family is kept, never the User-Agent itself.
        assert not any("Mozilla" in repr(row) for row in snapshot(app)["share_views"])
    page = client.get("/share").get_data(as_text=True)
    assert "View log (3 views)" in page
    assert "Firefox" in page and "Chrome" in page


# --- The link opens nothing else ---------------------------------------------------------------

# Pages anyone may open without logging in; they must still show nothing of the person.
PUBLIC = frozenset(
    {
        "home.index",
        "home.safety",
        "auth.login",
        "auth.register",
        "auth.language",
        "coach_account.register",
        "auth.logout",
        "recovery.forgot",
        "recovery.sent",
        "pwa.manifest",
        "pwa.offline",
        "pwa.service_worker",
        "pwa.favicon",
        "static",
    }
)
SUMMARY = frozenset({"share.coach_page", "share.coach_pdf"})
REFUSED = frozenset({400, 401, 403, 404, 405, 422})


def test_with_a_token_every_other_route_refuses_and_changes_nothing(
    client: FlaskClient, anon: FlaskClient, app: Flask, person: int
) -> None:
    _url, token = make_link(client, include_notes="1", notes=[str(note_ids(app, person)[2])])
    with app.app_context():
        link_id = int(db.session.scalar(select(ShareLink.id)) or 0)
    secrets_of_person = (EMAIL, note_text(2), "mijn coach", "Coach summary")
    before = snapshot(app)
    adapter = app.url_map.bind("localhost")
    tried = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SUMMARY:
            continue
        values: dict[str, Any] = {}
        for name, converter in rule._converters.items():
            values[name] = link_id if type(converter).__name__ == "IntegerConverter" else token
        path = adapter.build(rule.endpoint, values, force_external=False)
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            response = anon.open(
                path,
                method=method,
                query_string={"token": token},
                data={"token": token, "label": token, "weeks": "4", "expiry": "7"},
                headers={"Authorization": f"Bearer {token}"},
            )
            tried += 1
            where = f"{method} {path} ({rule.endpoint}) → {response.status_code}"
            body = response.get_data().decode("utf-8", "replace")  # the favicon is binary
            assert all(s not in body for s in secrets_of_person), where
            if rule.endpoint in PUBLIC:
                assert response.status_code < 500, where
                continue
            location = response.headers.get("Location", "")
            login_redirect = response.status_code in (302, 303) and "/login" in location
            assert response.status_code in REFUSED or login_redirect, where
    assert tried > 30
    assert snapshot(app) == before


def test_viewing_writes_only_the_audit_row(
    client: FlaskClient, anon: FlaskClient, app: Flask, person: int
) -> None:
    _url, token = make_link(client)
    before = snapshot(app)
    assert anon.get(f"/s/{token}").status_code == 200
    after = snapshot(app)
    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"share_views", "share_links"}
    assert len(after["share_views"]) == 1


# --- Deleting the account -------------------------------------------------------------------------


def test_deleting_the_account_removes_links_notes_and_views(
    client: FlaskClient, anon: FlaskClient, app: Flask, accounts: Accounts, person: int
) -> None:
    other = accounts.create(OTHER_EMAIL)
    store_diary(app, other, diary()[-5:])
    _url, token = make_link(client, include_notes="1", notes=[str(note_ids(app, person)[2])])
    make_link(client)
    anon.get(f"/s/{token}")
    assert (count(app, ShareLink), count(app, ShareLinkNote), count(app, ShareView)) == (2, 1, 1)
    assert client.post("/account/delete", data={"delete_password": PASSWORD}).status_code == 302
    assert (count(app, ShareLink), count(app, ShareLinkNote), count(app, ShareView)) == (0, 0, 0)
    assert anon.get(f"/s/{token}").status_code == 404
