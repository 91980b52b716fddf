"""`flask evaluate` (DOMAIN G.2) and `flask summary` (G.3), both without a database, and
`flask demo`."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from journal import create_app
from journal.domain.diary_csv import HEADER, write_diary
from journal.domain.summary import report, week_figures
from journal.extensions import db
from journal.models import CheckinRow, User
from tests.domain.scenario_builder import day_date
from tests.domain.test_diary_csv import as_dutch_excel_saves
from tests.domain.test_scenarios import SCENARIOS


@pytest.fixture
def diary(tmp_path: Path) -> Path:
    path = tmp_path / "mark.csv"
    path.write_text(write_diary(SCENARIOS["S02"]), encoding="utf-8")
    return path


@pytest.fixture
def cli_app(tmp_path: Path) -> Flask:
    # A database URL that cannot be opened proves `evaluate` never touches one.
    return create_app({"DATABASE_URL": f"sqlite:///{tmp_path}/missing/dir/x.db", "SECRET_KEY": "x"})


def test_evaluate_last_date_as_json(cli_app: Flask, diary: Path) -> None:
    result = cli_app.test_cli_runner().invoke(args=["evaluate", str(diary), "--json"])
    assert result.exit_code == 0, result.output
    [day] = json.loads(result.output)
    assert day["date"] == "2026-03-29"
    flags = {f["flag"]: f for f in day["flags"]}
    assert len(flags) == 10
    chain = flags["REST_NO_RECOVERY"]
    assert (chain["state"], chain["level"]) == ("active", "persistent")
    assert chain["links"] == {k: True for k in ("R0", "L1", "L2", "L3", "L4", "L5")}
    assert flags["SIGNPOST_DOCTOR"]["state"] == "inactive"


def test_evaluate_one_date_and_all_days(cli_app: Flask, diary: Path) -> None:
    runner = cli_app.test_cli_runner()
    one = json.loads(runner.invoke(args=["evaluate", str(diary), "--date", "2026-03-19", "--json"]).output)
    assert [d["date"] for d in one] == ["2026-03-19"]
    every = json.loads(runner.invoke(args=["evaluate", str(diary), "--all-days", "--json"]).output)
    assert len(every) == 28
    assert every[17]["flags"][0]["state"] == "active"  # day 18: the chain's first day
    table = runner.invoke(args=["evaluate", str(diary)]).output
    assert "REST_NO_RECOVERY" in table and "persistent" in table


BAD_INPUTS = [
    (None, "no such file"),
    ("date,nonsense\n", "line 1, field header"),
    # Issue 19: a header error names its column.
    (",".join(HEADER[:-1]) + ",later\n", "line 1, field header: missing_column (backfilled)"),
    ("BAD_ROW", "line 3, field sol_min"),
]
COMMANDS = {"evaluate": [], "summary": ["--week", "2026-W10"]}


@pytest.mark.parametrize("command", list(COMMANDS))
@pytest.mark.parametrize(("content", "expected"), BAD_INPUTS)
def test_bad_input_exits_2(
    cli_app: Flask, diary: Path, tmp_path: Path, command: str, content: str | None, expected: str
) -> None:
    """Both commands read a diary the same way and name the line and field of a bad row."""
    path = tmp_path / "bad.csv"
    if content == "BAD_ROW":
        lines = diary.read_text().splitlines()
        lines[2] = lines[2].replace(",23:00,15,", ",23:00,999,", 1)
        path.write_text("\n".join(lines) + "\n")
    elif content is not None:
        path.write_text(content)
    result = cli_app.test_cli_runner().invoke(args=[command, str(path), *COMMANDS[command]])
    assert result.exit_code == 2
    assert expected in result.output


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_diary_resaved_by_a_spreadsheet_reads_as_the_export(
    cli_app: Flask, diary: Path, tmp_path: Path, command: str
) -> None:
    """Issue 19: semicolons, d-m-yyyy, WAAR/ONWAAR and Windows-1252, as Dutch Excel saves it."""
    records = [replace(record, note="Café") for record in SCENARIOS["S02"]]
    diary.write_text(write_diary(records), encoding="utf-8")
    resaved = tmp_path / "excel.csv"
    resaved.write_bytes(as_dutch_excel_saves(write_diary(records)))
    assert b";Caf\xe9;" in resaved.read_bytes()
    runner = cli_app.test_cli_runner()
    arguments = [*COMMANDS[command], "--json"]
    result = runner.invoke(args=[command, str(resaved), *arguments])
    assert result.exit_code == 0, result.output
    assert result.output == runner.invoke(args=[command, str(diary), *arguments]).output


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_file_that_is_no_text_exits_2(cli_app: Flask, tmp_path: Path, command: str) -> None:
    path = tmp_path / "diary.xlsx"
    path.write_bytes(b"PK\x03\x04\x81\x8d")
    result = cli_app.test_cli_runner().invoke(args=[command, str(path), *COMMANDS[command]])
    assert result.exit_code == 2
    assert "line 1, field file: not_text" in result.output


def test_evaluate_bad_date_option(cli_app: Flask, diary: Path) -> None:
    result = cli_app.test_cli_runner().invoke(args=["evaluate", str(diary), "--date", "29-03-2026"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


@pytest.mark.parametrize("neutralised", [True, False], ids=["as-exported", "from-another-tool"])
def test_evaluate_reads_formula_notes_with_or_without_the_apostrophe(
    cli_app: Flask, diary: Path, tmp_path: Path, neutralised: bool
) -> None:
    # DOMAIN G.1: the export writes the note =1+1 as '=1+1; another tool may write it bare.
    text = write_diary([replace(record, note="=1+1") for record in SCENARIOS["S02"]])
    assert ",'=1+1," in text
    path = tmp_path / "notes.csv"
    path.write_text(text if neutralised else text.replace(",'=1+1,", ",=1+1,"), encoding="utf-8")
    runner = cli_app.test_cli_runner()
    result = runner.invoke(args=["evaluate", str(path), "--all-days", "--json"])
    assert result.exit_code == 0, result.output
    original = runner.invoke(args=["evaluate", str(diary), "--all-days", "--json"])
    assert result.output == original.output


# --- flask summary (G.3) ---------------------------------------------------------------------


def test_summary_json_is_the_week_figures(cli_app: Flask, diary: Path) -> None:
    """The command prints exactly what week_figures gives, written by the report module."""
    args = ["summary", str(diary), "--week", "2026-W13", "--today", "2026-03-26", "--json"]
    result = cli_app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    expected = report.to_json(week_figures(SCENARIOS["S02"], day_date(22), day_date(25)))
    assert result.output == expected + "\n"
    got = json.loads(result.output)
    assert list(got) == [
        "week", "start", "end", "through", "checkins", "missing_dates", "metrics",
        "disturbed_nights", "rest", "heaviest_load", "contact", "movement", "pattern",
    ]  # fmt: skip
    assert (got["week"], got["start"], got["end"], got["through"]) == (
        "2026-W13", "2026-03-23", "2026-03-29", "2026-03-26",
    )  # fmt: skip
    assert got["checkins"] == 4 and got["pattern"] == "activated_low_recovery"
    assert list(got["metrics"]) == [
        "RI", "AI", "morning_energy", "refreshed", "startup_effort", "letting_go",
        "bedtime_tension", "day_load", "TST", "SOL", "WASO", "SE",
    ]  # fmt: skip
    assert list(got["metrics"]["RI"]) == [
        "mean", "baseline", "spread", "z", "arrow", "anchor", "previous_mean",
    ]  # fmt: skip


def test_summary_table(cli_app: Flask, diary: Path) -> None:
    result = cli_app.test_cli_runner().invoke(args=["summary", str(diary), "--week", "2026-W13"])
    assert result.exit_code == 0, result.output
    assert "week: 2026-W13 (2026-03-23 – 2026-03-29, through 2026-03-29)" in result.output
    assert "checkins: 7" in result.output
    assert "pattern: activated_low_recovery" in result.output


def test_summary_of_a_header_only_file_is_an_empty_week(cli_app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    path.write_text(",".join(HEADER) + "\n", encoding="utf-8")
    args = ["summary", str(path), "--week", "2026-W10", "--json"]
    result = cli_app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    got = json.loads(result.output)
    assert (got["checkins"], got["missing_dates"], got["pattern"]) == (0, [], None)
    assert got["heaviest_load"] == {"record_date": None, "day_load": None}
    assert got["rest"]["by_type"] == {}


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (["--week", "2026-W1"], "--week '2026-W1': expected YYYY-Www"),
        (["--week", "2026-10"], "expected YYYY-Www"),
        (["--week", "2025-W53"], "an ISO week that exists"),
        (["--week", "2026-W00"], "an ISO week that exists"),
        (["--week", "2026-W13", "--today", "2026-03-22"], "lies before the week's Monday 2026-03-23"),
        (["--week", "2026-W13", "--today", "26-03-2026"], "--today '26-03-2026': expected YYYY-MM-DD"),
        ([], "Missing option '--week'"),
    ],
)
def test_summary_usage_errors_exit_2(
    cli_app: Flask, diary: Path, options: list[str], expected: str
) -> None:
    result = cli_app.test_cli_runner().invoke(args=["summary", str(diary), *options, "--json"])
    assert result.exit_code == 2
    assert expected in result.output


def test_demo_account(app: Flask) -> None:
    runner = app.test_cli_runner()
    for _ in range(2):  # running it again renews the same account
        result = runner.invoke(args=["demo", "--email", "Demo@Example.org", "--password", "demo-password"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1
        count = db.session.scalar(select(func.count(CheckinRow.id)))
        assert 45 <= (count or 0) <= 56  # 8 weeks with some days missing
    client = app.test_client()
    assert client.post("/login", data={"email": "demo@example.org", "password": "demo-password"}).status_code == 302
    patterns = client.get("/patterns").get_data(as_text=True)
    assert 'id="flag-REST_NO_RECOVERY"' in patterns


@pytest.mark.parametrize("password", ["kort", "123456789"])
def test_demo_refuses_a_password_the_app_refuses(app: Flask, password: str) -> None:
    """Registration asks at least PASSWORD_MIN characters; a demo account may not have fewer."""
    result = app.test_cli_runner().invoke(args=["demo", "--password", password])
    assert result.exit_code == 2
    assert "--password: at least 10 characters" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 0
