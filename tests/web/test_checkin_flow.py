"""The check-in that flows and loses nothing (issue 19): 24-hour times, one-row scales, the
progress cue's words, the note's limit, a save after the day closed, a save after Back, and
home's one line after a save."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from journal.domain.checkin import parse_checkin
from journal.web.checkin_form import normalise_time
from tests.conftest import FROZEN_NOW, checkin_count, checkin_rows, set_english, store_diary
from tests.payloads import day

TODAY = date(2026, 3, 10)  # FROZEN_NOW in Amsterdam
LONG_NOTE = "Een hele lange dag, " * 250  # 5,000 characters, as a paste from another app


def page_of(response: object) -> str:
    return html.unescape(response.get_data(as_text=True))  # type: ignore[attr-defined]


# --- 24-hour times -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("7:30", "07:30"),
        ("07:30", "07:30"),
        ("0730", "07:30"),
        ("730", "07:30"),
        ("7.30", "07:30"),
        ("7,30", "07:30"),
        ("7u30", "07:30"),
        (" 23:15 ", "23:15"),
        ("2315", "23:15"),
        ("23", "23:00"),
        ("0", "00:00"),
        ("23:15:00", "23:15"),  # a time input's seconds
        ("24:00", "24:00"),  # not a time: kept as typed, for the error to name
        ("7:60", "7:60"),
        ("half acht", "half acht"),
        ("12345", "12345"),
        ("", ""),
    ],
)
def test_typed_times_are_read_as_24_hour_clock_times(typed: str, read: str) -> None:
    assert normalise_time(typed) == read


def test_times_typed_the_phone_way_are_stored(
    client: FlaskClient, app: Flask, logged_in: int
) -> None:
    assert (
        client.post(
            "/checkin", data=day(lights_out_time="2315", out_of_bed_time="7.05")
        ).status_code
        == 302
    )
    [row] = checkin_rows(app)
    assert (row.lights_out_time.isoformat(), row.out_of_bed_time.isoformat()) == (
        "23:15:00",
        "07:05:00",
    )


def test_a_time_that_is_no_time_is_named_and_kept(
    client: FlaskClient, app: Flask, logged_in: int
) -> None:
    response = client.post("/checkin", data=day(out_of_bed_time="25.10"))
    assert response.status_code == 422
    page = page_of(response)
    assert 'id="err-out_of_bed_time"' in page
    assert 'name="out_of_bed_time" value="25.10"' in page
    assert checkin_count(app) == 0


def test_time_boxes_are_24_hour_text_not_the_browsers_time_input(
    client: FlaskClient, logged_in: int
) -> None:
    page = page_of(client.get("/checkin"))
    assert 'type="time"' not in page
    for name in ("lights_out_time", "out_of_bed_time", "final_wake_time"):
        box = re.search(rf'<input id="f-{name}"[^>]*>', page, re.S)
        assert box is not None
        assert 'type="text"' in box[0] and 'inputmode="numeric"' in box[0]
    assert "uren:minuten, 24-uursklok" in page


def time_picks(page: str, name: str) -> tuple[str, list[tuple[str, str]]]:
    """A time question's quick-pick group: its opening tag, and each chip's time and state."""
    group = re.search(
        rf'(<div class="time-picks"[^>]*data-time-picks="f-{name}"[^>]*>)(.*?)</div>', page, re.S
    )
    assert group is not None, name
    chips = re.findall(
        r'<button type="button" class="time-pick" data-time-pick="([\d:]+)" aria-pressed="(\w+)">\1</button>',
        group[2],
    )
    return group[1], chips


def test_time_questions_have_quick_pick_chips_in_both_languages(
    client: FlaskClient, app: Flask, logged_in: int
) -> None:
    page = page_of(client.get("/checkin"))
    expected = {
        "lights_out_time": ["22:00", "22:30", "23:00", "23:30", "00:00"],
        "out_of_bed_time": ["06:00", "06:30", "07:00", "07:30", "08:00"],
        "final_wake_time": ["06:00", "06:30", "07:00", "07:30", "08:00"],
    }
    for name, times in expected.items():
        tag, chips = time_picks(page, name)
        # Hidden until checkin.js can make a tap fill the box; a group with a name.
        assert 'role="group"' in tag and 'aria-label="Snel kiezen"' in tag and " hidden" in tag
        assert chips == [(t, "false") for t in times]
    set_english(app, logged_in)
    tag, _ = time_picks(page_of(client.get("/checkin")), "out_of_bed_time")
    assert 'aria-label="Quick pick"' in tag


def test_quick_picks_centre_on_the_time_already_there(client: FlaskClient, logged_in: int) -> None:
    client.post("/checkin", data=day(lights_out_time="00:10", out_of_bed_time="08:30"))
    page = page_of(client.get("/checkin"))  # the saved day, to edit
    assert time_picks(page, "lights_out_time")[1] == [
        ("23:00", "false"),
        ("23:30", "false"),
        ("00:00", "false"),
        ("00:30", "false"),
        ("01:00", "false"),
    ]
    assert ("08:30", "true") in time_picks(page, "out_of_bed_time")[1]


# --- Scales and legends ------------------------------------------------------------------------


def test_every_scale_is_one_row_with_its_ends_under_it(client: FlaskClient, logged_in: int) -> None:
    page = page_of(client.get("/checkin"))
    for name in (
        "morning_energy",
        "startup_effort",
        "day_load",
        "letting_go",
        "bedtime_tension",
        "tension_now",
    ):
        question = re.search(rf'id="q-{name}".*?</fieldset>', page, re.S)
        assert question is not None, name
        row = re.search(r'<div class="chips scale n11">(.*?)</div>', question[0], re.S)
        assert row is not None, name
        assert re.findall(r'value="(\d+)"', row[1]) == [str(n) for n in range(11)]
        assert question[0].index("chips scale") < question[0].index('class="ends"')
    energy = re.search(r'id="ends-morning_energy"><span>(.*?)</span><span>(.*?)</span>', page)
    assert energy is not None
    assert energy.groups() == ("0 · helemaal leeg", "10 · vol energie")


def test_the_sleepiness_legend_is_one_line_with_details_behind_a_tap(
    client: FlaskClient, logged_in: int
) -> None:
    page = page_of(client.get("/checkin"))
    question = re.search(r'id="q-sleepiness_peak".*?</fieldset>', page, re.S)
    assert question is not None
    assert 'class="chips scale n9"' in question[0]
    legend = re.search(
        r'<details class="legend-more"><summary>(.*?)</summary><p>(.*?)</p></details>', question[0]
    )
    assert legend is not None
    assert legend[1] == "Wat betekenen de getallen?"
    assert legend[2].startswith("1 ") and "9 " in legend[2]
    assert '<p class="hint">' not in question[0]  # no five-line legend above the scale


def test_the_progress_cue_is_there_for_the_script_in_both_languages(
    client: FlaskClient, app: Flask, logged_in: int
) -> None:
    page = page_of(client.get("/checkin"))
    cue = re.search(
        r'<p class="progress" data-progress aria-live="polite" hidden(.*?)></p>', page, re.S
    )
    assert cue is not None
    assert 'data-t-many="nog {n} vragen"' in cue[1]
    assert 'data-t-one="nog 1 vraag"' in cue[1]
    assert "checkin.js" in page
    set_english(app, logged_in)
    page = page_of(client.get("/checkin"))
    assert 'data-t-many="{n} questions to go"' in page


# --- The note ----------------------------------------------------------------------------------


def test_a_long_note_is_refused_whole_not_cut(
    client: FlaskClient, app: Flask, logged_in: int
) -> None:
    page = page_of(client.get("/checkin"))
    note = re.search(r"<textarea id=\"f-note\"[^>]*>", page)
    assert note is not None and "maxlength" not in note[0]  # a paste is never cut off
    assert "0 / 500 tekens" in page

    response = client.post("/checkin", data=day(note=LONG_NOTE))
    assert response.status_code == 422
    page = page_of(response)
    assert f">{LONG_NOTE}</textarea>" in page  # every character still in the box
    assert "Je notitie heeft 5000 tekens" in page
    assert "5000 / 500 tekens" in page
    assert checkin_count(app) == 0


def test_the_api_refuses_a_long_note_with_json(
    client: FlaskClient, app: Flask, logged_in: int
) -> None:
    body = {
        "client_id": "6f1d2b1e-58a8-4c8e-9a57-1f2b3c4d5e6f",
        "date": TODAY.isoformat(),
        "answers": day(note=LONG_NOTE),
    }
    response = client.post("/api/checkins", json=body)
    assert response.status_code == 422
    assert response.is_json
    assert response.json["error"] == "invalid"
    assert set(response.json["errors"]) == {"note"}
    assert checkin_count(app) == 0


# --- A save after the day closed, and a save after Back -------------------------------------------


def test_a_save_after_the_window_closed_shows_what_was_typed_beside_what_is_stored(
    client: FlaskClient, app: Flask, logged_in: int
) -> None:
    client.post("/checkin", data=day(note="Wat ik eerst schreef"))
    app.config["FIXED_NOW"] = FROZEN_NOW + timedelta(hours=49)
    response = client.post(
        f"/checkin/{TODAY}", data=day(morning_energy="2", note="Wat ik er later bij schreef")
    )
    assert response.status_code == 409
    page = page_of(response)
    assert ">Wat ik er later bij schreef</textarea>" in page  # the note, to select or copy
    assert 'data-copy="kept-note"' in page and "checkin.js" in page
    energy = re.search(
        r"Hoeveel energie heb je nu\?</dt>\s*<dd>(.*?)</dd>\s*<dd[^>]*>(.*?)</dd>", page
    )
    assert energy is not None
    assert [re.sub(r"<[^>]+>", "", part).strip() for part in energy.groups()] == [
        "Je typte nu: 2",
        "Bewaard: 7",
    ]
    everything = re.search(
        r'<textarea id="kept-all" readonly rows="6">(.*?)</textarea>', page, re.S
    )
    assert everything is not None
    assert "Hoeveel energie heb je nu?: 2" in everything[1]
    assert "Wat ik er later bij schreef" in everything[1]
    [row] = checkin_rows(app)
    assert (row.morning_energy, row.note) == (7, "Wat ik eerst schreef")


def test_a_late_new_day_shows_what_was_typed(
    client: FlaskClient, app: Flask, logged_in: int
) -> None:
    """Yesterday's form opened before midnight and saved the day after: nothing is dropped."""
    two_days_ago = TODAY - timedelta(days=2)
    response = client.post(f"/checkin/{two_days_ago}", data=day(note="Laat ingevuld"))
    assert response.status_code == 409
    page = page_of(response)
    assert ">Laat ingevuld</textarea>" in page
    assert "Bewaard:" not in page
    assert checkin_count(app) == 0


def test_a_second_save_of_the_new_form_becomes_the_edit(
    client: FlaskClient, app: Flask, logged_in: int
) -> None:
    """Back after saving shows the new form again; saving it edits the day, never drops it."""
    form = client.get("/checkin")
    assert form.headers["Cache-Control"] == "no-store"  # Back asks the server again
    assert "data-new" in form.get_data(as_text=True)
    assert client.post("/checkin", data=day()).headers["Location"] == "/#saved"
    again = client.post("/checkin", data=day(morning_energy="3", note="toch iets anders"))
    assert again.headers["Location"] == "/#changed"
    [row] = checkin_rows(app)
    assert (row.morning_energy, row.note) == (3, "toch iets anders")
    # Asked again, the form is the saved day's edit, not a new one.
    edit = client.get("/checkin")
    assert edit.headers["Cache-Control"] == "no-store"
    assert "data-new" not in edit.get_data(as_text=True)
    assert re.search(r'name="morning_energy" value="3" checked', edit.get_data(as_text=True))


# --- Home's one line after a save ------------------------------------------------------------------


def usual_nights(app: Flask, user_id: int) -> None:
    """Four weeks of 23:00–07:00 nights with 15 + 10 min awake: 7 h 35 min, the person's normal."""
    records = []
    for back in range(8, 36):
        parsed = parse_checkin(day(), on=TODAY - timedelta(days=back))
        assert parsed.checkin is not None
        records.append(parsed.checkin)
    store_diary(app, user_id, records)


@pytest.mark.parametrize(
    ("language", "changes", "line"),
    [
        ("nl", {}, "Afgelopen nacht sliep je 7 u 35 min."),
        ("en", {}, "Last night you slept 7 h 35 min."),
        (
            "nl",
            {"normal": "yes"},
            "Afgelopen nacht sliep je 7 u 35 min, ongeveer zoveel als je gewoonlijk doet.",
        ),
        (
            "en",
            {"normal": "yes", "lights_out_time": "22:00"},
            "Last night you slept 8 h 35 min, more than you usually do.",
        ),
        (
            "nl",
            {"normal": "yes", "out_of_bed_time": "06:30"},
            "Afgelopen nacht sliep je 7 u 5 min, iets minder dan je gewoonlijk doet.",
        ),
    ],
)
def test_home_tells_the_morning_back_in_one_line_after_a_save(
    client: FlaskClient,
    app: Flask,
    logged_in: int,
    language: str,
    changes: dict[str, str],
    line: str,
) -> None:
    if changes.get("normal"):  # the table is shared by both databases: read, never pop
        usual_nights(app, logged_in)
    changes = {name: value for name, value in changes.items() if name != "normal"}
    if language == "en":
        set_english(app, logged_in)
    assert client.post("/checkin", data=day(**changes)).headers["Location"] == "/#saved"
    home = page_of(client.get("/"))
    ack = re.search(r'<p class="ack" id="acknowledgement">(.*?)</p>', home)
    assert ack is not None
    assert ack[1] == line
    # It follows the confirmations, so style.css shows it only when the address names one.
    assert home.index('id="changed"') < home.index('id="acknowledgement"')


def test_home_without_a_recent_check_in_has_no_line(client: FlaskClient, logged_in: int) -> None:
    assert 'id="acknowledgement"' not in client.get("/").get_data(as_text=True)
