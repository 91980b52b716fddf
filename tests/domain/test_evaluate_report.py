"""DOMAIN G.2: the JSON and the table printed by `flask evaluate`."""

from __future__ import annotations

import json
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from journal.domain.checkin import CheckIn
from journal.domain.diary_csv import read_diary, write_diary
from journal.domain.evaluate_report import TABLE_COLUMNS, to_json, to_table
from journal.domain.rules import Flag, FlagResult, Level, State, evaluate_range
from tests.strategies import diaries

MON, TUE = date(2026, 3, 2), date(2026, 3, 3)

CHAIN = FlagResult(
    flag=Flag.REST_NO_RECOVERY,
    state=State.ACTIVE,
    level=Level.ATTENTION,
    reasons=(),
    links={"R0": True, "L1": None, "L2": False, "L3": True, "L4": True, "L5": None},
    numbers={"k": 2},
)
SIGNS = FlagResult(
    flag=Flag.EARLY_SIGNS,
    state=State.ACTIVE,
    level=Level.NOTICE,
    reasons=("E1", "E3"),
    links={},
    numbers={"signs": 2},
)
GAP = FlagResult(Flag.CHECKIN_GAP, State.INSUFFICIENT, None, (), {}, {})
IMPROVING = FlagResult(Flag.IMPROVING, State.ACTIVE, Level.POSITIVE, ("recovery_up",), {}, {})


def test_json_has_one_object_per_date_in_date_order() -> None:
    document = json.loads(to_json({TUE: [GAP], MON: [CHAIN, SIGNS]}))
    assert document == [
        {
            "date": "2026-03-02",
            "flags": [
                {
                    "flag": "REST_NO_RECOVERY",
                    "state": "active",
                    "level": "attention",
                    "reasons": [],
                    "links": {
                        "R0": True,
                        "L1": None,
                        "L2": False,
                        "L3": True,
                        "L4": True,
                        "L5": None,
                    },
                    "numbers": {"k": 2},
                },
                {
                    "flag": "EARLY_SIGNS",
                    "state": "active",
                    "level": "notice",
                    "reasons": ["E1", "E3"],
                    "links": {},
                    "numbers": {"signs": 2},
                },
            ],
        },
        {
            "date": "2026-03-03",
            "flags": [
                {
                    "flag": "CHECKIN_GAP",
                    "state": "insufficient_data",
                    "level": None,
                    "reasons": [],
                    "links": {},
                    "numbers": {},
                }
            ],
        },
    ]


def test_json_keeps_the_link_order() -> None:
    (day,) = json.loads(to_json({MON: [CHAIN]}))
    assert list(day["flags"][0]["links"]) == ["R0", "L1", "L2", "L3", "L4", "L5"]


def test_json_of_nothing_is_an_empty_list() -> None:
    assert to_json({}) == "[]"


def test_table() -> None:
    assert to_table({TUE: [GAP, IMPROVING], MON: [CHAIN, SIGNS]}).split("\n") == [
        "date        flag              state              level      reasons      links",
        "2026-03-02  REST_NO_RECOVERY  active             attention  -            "
        "R0=true L1=null L2=false L3=true L4=true L5=null",
        "2026-03-02  EARLY_SIGNS       active             notice     E1,E3        -",
        "2026-03-03  CHECKIN_GAP       insufficient_data  -          -            -",
        "2026-03-03  IMPROVING         active             positive   recovery_up  -",
    ]


def test_table_of_nothing_is_its_header() -> None:
    assert to_table({}) == "  ".join(TABLE_COLUMNS)


def test_table_lines_have_no_trailing_spaces() -> None:
    text = to_table({MON: [SIGNS, GAP]})
    assert all(line == line.rstrip() for line in text.split("\n"))


# --- with the real rule module, the way the command runs it -------------------------------


@settings(max_examples=25, deadline=None)
@given(
    diaries(
        min_size=1,
        max_size=20,
        dates=st.integers(0, 27).map(lambda offset: MON + timedelta(days=offset)),
    )
)
def test_every_flag_on_every_evaluated_date(records: list[CheckIn]) -> None:
    imported = read_diary(write_diary(records)).records
    first, last = imported[0].date, imported[-1].date
    results = evaluate_range(imported, first, last)
    days = (last - first).days + 1

    document = json.loads(to_json(results))
    assert [day["date"] for day in document] == [
        (first + timedelta(days=n)).isoformat() for n in range(days)
    ]
    for day in document:
        assert [flag["flag"] for flag in day["flags"]] == [flag.value for flag in Flag]
        for flag in day["flags"]:
            assert flag["state"] in {state.value for state in State}
            assert flag["level"] in {None} | {level.id for level in Level}

    assert len(to_table(results).split("\n")) == 1 + days * len(Flag)
