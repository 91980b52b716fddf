"""`flask evaluate` (DOMAIN G.2, no database) and `flask demo`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from journal import create_app
from journal.domain.diary_csv import write_diary
from journal.extensions import db
from journal.models import CheckinRow, User
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


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        ("date,nonsense\n", "line 1, field header"),
        ("BAD_ROW", "line 3, field sol_min"),
    ],
)
def test_evaluate_bad_input_exits_2(cli_app: Flask, diary: Path, tmp_path: Path, content: str | None, expected: str) -> None:
    path = tmp_path / "bad.csv"
    if content == "BAD_ROW":
        lines = diary.read_text().splitlines()
        lines[2] = lines[2].replace(",23:00,15,", ",23:00,999,", 1)
        path.write_text("\n".join(lines) + "\n")
    elif content is not None:
        path.write_text(content)
    result = cli_app.test_cli_runner().invoke(args=["evaluate", str(path)])
    assert result.exit_code == 2
    assert expected in result.output


def test_evaluate_bad_date_option(cli_app: Flask, diary: Path) -> None:
    result = cli_app.test_cli_runner().invoke(args=["evaluate", str(diary), "--date", "29-03-2026"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


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
