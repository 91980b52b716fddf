"""DOMAIN part E, S01–S08: every listed expectation, one table row each.

A range "from dX" runs to the scenario's last day. "Must not" means not active on any day
unless a range is given.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache

import pytest

from journal.domain.checkin import CheckIn
from journal.domain.lifecycle import DayState, EventKind, events
from journal.domain.rules import Flag, FlagResult, Level, Link, Reason, State, evaluate_range
from tests.domain.scenario_builder import alt, build, day_date

RNR = Flag.REST_NO_RECOVERY
ES = Flag.EARLY_SIGNS
SD = Flag.SLEEP_DISRUPTED
NR = Flag.NO_ROOM_TO_RECOVER
CA = Flag.CARRYING_ALONE
LOM = Flag.LITTLE_OUTDOOR_MOVEMENT
LF = Flag.SIGNPOST_LOOK_FURTHER
DR = Flag.SIGNPOST_DOCTOR
IMP = Flag.IMPROVING
GAP = Flag.CHECKIN_GAP

SCENARIOS: Mapping[str, list[CheckIn]] = {
    "S01": build(
        28,
        (
            1,
            28,
            dict(
                morning_energy=alt(7, 6),
                startup_effort=alt(3, 4),
                day_load=alt(5, 6),
                letting_go=alt(7, 6),
                bedtime_tension=alt(3, 4),
            ),
        ),
    ),
    "S02": build(
        28,
        (
            1,
            14,
            dict(
                morning_energy=alt(6, 5),
                startup_effort=alt(4, 5),
                day_load=6,
                rest_minutes=30,
                rest_recharged=2,
                letting_go=alt(6, 5),
                bedtime_tension=alt(4, 5),
                refreshed=3,
                sol_min=15,
                waso_min=10,
                social_contact="brief",
                support_felt=2,
                walk_outside_min=alt(20, 0),
            ),
        ),
        (
            15,
            28,
            dict(
                morning_energy=alt(3, 2),
                startup_effort=8,
                day_load=6,
                rest_minutes=alt(90, 120),
                rest_recharged=alt(1, 0),
                letting_go=alt(3, 2),
                bedtime_tension=alt(7, 8),
                refreshed=alt(1, 0),
                sol_min=alt(40, 20),
                waso_min=alt(45, 20),
                social_contact="brief",
                support_felt=2,
                walk_outside_min=0,
            ),
        ),
    ),
    "S03": build(
        28,
        (
            1,
            14,
            dict(
                morning_energy=3,
                startup_effort=7,
                day_load=4,
                rest_minutes=60,
                rest_recharged=1,
                letting_go=4,
                bedtime_tension=6,
                refreshed=1,
                walk_outside_min=20,
            ),
        ),
        (
            15,
            21,
            dict(
                morning_energy=5,
                startup_effort=5,
                day_load=4,
                rest_minutes=60,
                rest_recharged=2,
                letting_go=6,
                bedtime_tension=4,
                refreshed=2,
                walk_outside_min=30,
            ),
        ),
        (
            22,
            28,
            dict(
                morning_energy=alt(7, 6),
                startup_effort=alt(3, 4),
                day_load=4,
                rest_minutes=60,
                rest_recharged=alt(3, 4),
                letting_go=7,
                bedtime_tension=alt(3, 2),
                refreshed=3,
                walk_outside_min=45,
            ),
        ),
    ),
    "S04": build(
        28,
        (
            1,
            21,
            dict(
                morning_energy=alt(7, 8),
                startup_effort=alt(3, 2),
                day_load=6,
                rest_minutes=15,
                rest_recharged=3,
                letting_go=alt(7, 8),
                bedtime_tension=alt(3, 2),
                refreshed=alt(3, 4),
            ),
        ),
        (
            22,
            28,
            dict(
                morning_energy=alt(6, 5),
                startup_effort=alt(5, 6),
                day_load=6,
                rest_minutes=15,
                rest_recharged=2,
                letting_go=alt(5, 6),
                bedtime_tension=alt(4, 5),
                refreshed=2,
            ),
        ),
    ),
    "S05": build(
        21,
        (1, 7, dict(day_load=6, rest_minutes=alt(30, 15))),
        (
            8,
            21,
            dict(
                morning_energy=alt(5, 4),
                startup_effort=alt(5, 6),
                day_load=alt(8, 7),
                rest_minutes=alt(0, 15),
                letting_go=alt(4, 5),
                bedtime_tension=alt(6, 5),
                refreshed=2,
                walk_outside_min=0,
                social_contact="brief",
                support_felt=alt(3, 4),
            ),
        ),
    ),
    "S06": build(
        28,
        (
            1,
            28,
            dict(
                sol_min=lambda d: 60 if d % 7 in (1, 3, 5) else 20,
                waso_min=lambda d: 40 if d % 7 == 6 else 15,
                out_of_bed_time="07:30",
            ),
        ),
    ),
    "S07": build(
        21,
        (1, 21, dict(sleepiness_peak=5)),
        (
            8,
            14,
            dict(
                lights_out_time="22:00",
                out_of_bed_time="08:30",
                refreshed=alt(1, 0),
                sleepiness_peak=alt(8, 7),
                morning_energy=4,
            ),
        ),
        (12, 12, dict(sleepiness_peak=9, dozed_unintended="during_activity")),
    ),
    "S08": build(
        14,
        (
            1,
            14,
            dict(context_tags=lambda d: ["sleep_medication"] if d in (8, 9, 11, 12, 13) else []),
        ),
    ),
}


@cache
def results(scenario: str) -> dict[int, dict[Flag, FlagResult]]:
    """Day number → flag → result, evaluating every day 1…N as part E does."""
    records = SCENARIOS[scenario]
    by_date = evaluate_range(records, records[0].date, records[-1].date)
    return {n: {r.flag: r for r in by_date[day_date(n)]} for n in range(1, len(records) + 1)}


def last_day(scenario: str) -> int:
    return len(SCENARIOS[scenario])


@dataclass(frozen=True)
class Expect:
    """On each day of `days`: the flag is active (with `level`, `reasons`, `links` when given),
    or not active (`active=False`), or in exactly `state`."""

    scenario: str
    flag: Flag
    days: Sequence[int]
    active: bool = True
    level: Level | None = None
    reasons: tuple[str, ...] | None = None
    links: Mapping[str, bool | None] = field(default_factory=dict)
    state: State | None = None
    numbers: Mapping[str, int | bool | str] = field(default_factory=dict)
    note: str = ""

    @property
    def id(self) -> str:
        span = f"d{self.days[0]}-d{self.days[-1]}" if self.days else "none"
        kind = str(self.state) if self.state else ("active" if self.active else "not_active")
        extra = f"-{self.level.id}" if self.level is not None else ""
        return f"{self.scenario}-{self.flag.name}-{kind}{extra}-{span}{self.note}"


def days(first: int, last: int) -> range:
    return range(first, last + 1)


def never(scenario: str, *flags: Flag, first: int = 1, last: int | None = None) -> list[Expect]:
    end = last_day(scenario) if last is None else last
    return [Expect(scenario, flag, days(first, end), active=False) for flag in flags]


ALL_TRUE = dict.fromkeys(("R0", "L1", "L2", "L3", "L4", "L5"), True)

EXPECTATIONS: list[Expect] = [
    # S01 Steady (control): nothing, ever.
    *never("S01", *Flag),
    # S02 Rest without recovery, developing.
    Expect("S02", RNR, days(1, 17), active=False, note="-first-on-d18"),
    Expect("S02", RNR, [18], level=Level.ATTENTION),
    Expect("S02", RNR, days(25, 28), level=Level.PERSISTENT),
    Expect("S02", RNR, [28], links=ALL_TRUE, note="-all-links"),
    Expect("S02", ES, [16], level=Level.NOTICE),
    Expect("S02", ES, days(17, 28), level=Level.ATTENTION),
    Expect("S02", LF, days(1, 24), active=False),
    Expect("S02", LF, days(25, 28), level=Level.PERSISTENT, reasons=("chain_persistent",)),
    Expect("S02", SD, days(1, 18), active=False),
    Expect("S02", SD, days(19, 25), level=Level.NOTICE),
    Expect("S02", SD, days(26, 28), level=Level.ATTENTION),
    Expect("S02", CA, days(16, 28), level=Level.NOTICE),
    Expect("S02", LOM, days(1, 17), active=False),
    Expect("S02", LOM, days(18, 28), level=Level.INFO),
    *never("S02", *Flag, last=15),
    *never("S02", IMP, DR, NR, GAP),
    # S03 Rest that becomes recovery.
    Expect(
        "S03",
        RNR,
        days(7, 9),
        level=Level.NOTICE,
        links={"R0": True, "L1": None, "L2": False, "L3": True, "L4": True, "L5": True},
    ),
    Expect(
        "S03",
        RNR,
        days(10, 17),
        level=Level.NOTICE,
        links={"R0": True, "L1": False, "L2": False, "L3": True, "L4": True, "L5": True},
    ),
    Expect("S03", RNR, days(18, 28), state=State.INACTIVE),
    Expect("S03", IMP, days(1, 16), active=False),
    Expect("S03", IMP, days(17, 28), level=Level.POSITIVE),
    Expect("S03", IMP, [17], level=Level.POSITIVE, reasons=("recovery_up",)),
    Expect(
        "S03",
        IMP,
        [28],
        level=Level.POSITIVE,
        reasons=("recovery_up", "tension_down", "rest_recharging", "sleep_refreshing"),
    ),
    *never("S03", ES, SD, NR, CA, LOM, LF, DR, GAP),
    # S04 Early signs while still functioning.
    Expect("S04", ES, days(1, 24), active=False),
    Expect("S04", ES, [25], level=Level.ATTENTION, reasons=("E1", "E3", "E4")),
    Expect("S04", ES, [26], level=Level.NOTICE, reasons=("E1", "E4")),
    Expect("S04", ES, [27], level=Level.ATTENTION, reasons=("E1", "E2", "E3", "E4")),
    Expect("S04", ES, [28], level=Level.ATTENTION, reasons=("E1", "E3", "E4")),
    *never("S04", RNR, SD, NR, CA, LOM, LF, DR, IMP, GAP),
    # S05 Keeping going.
    Expect("S05", NR, days(1, 10), active=False),
    Expect("S05", NR, days(11, 21), level=Level.NOTICE),
    Expect("S05", LOM, days(1, 12), active=False),
    Expect("S05", LOM, days(13, 21), level=Level.INFO),
    Expect("S05", ES, days(1, 13), active=False),
    Expect("S05", ES, days(14, 20), level=Level.ATTENTION),
    Expect("S05", ES, [21], level=Level.NOTICE),
    *never("S05", RNR, CA, LF, DR, IMP, GAP),
    # S06 Restless nights.
    Expect("S06", SD, days(7, 13), level=Level.NOTICE, reasons=("disturbed_nights",)),
    Expect("S06", SD, days(14, 28), level=Level.ATTENTION, reasons=("disturbed_nights",)),
    Expect("S06", DR, days(1, 27), active=False),
    Expect(
        "S06",
        DR,
        [28],
        level=Level.DOCTOR,
        reasons=("sleep_disorder_signs",),
        numbers={"detail_disrupted_weeks": True},
    ),
    *never("S06", RNR, ES, NR, CA, LOM, IMP),
    # S07 Very sleepy.
    Expect("S07", DR, days(1, 10), active=False),
    Expect(
        "S07",
        DR,
        [11],
        level=Level.DOCTOR,
        reasons=("sleep_disorder_signs",),
        numbers={"detail_long_unrefreshing": True},
    ),
    Expect(
        "S07", DR, days(12, 17), level=Level.DOCTOR, reasons=("sleepiness", "sleep_disorder_signs")
    ),
    Expect(
        "S07",
        DR,
        days(12, 18),
        level=Level.DOCTOR,
        numbers={"dozed": "during_activity", "while_driving": False},
        note="-dozed",
    ),
    Expect("S07", DR, [18], level=Level.DOCTOR, reasons=("sleepiness",)),
    Expect("S07", DR, days(19, 21), state=State.INACTIVE),
    Expect("S07", ES, days(1, 13), active=False),
    Expect("S07", ES, days(14, 18), level=Level.NOTICE, reasons=("E3", "E4")),
    Expect("S07", ES, days(19, 21), active=False),
    Expect("S07", IMP, days(1, 18), active=False),
    Expect("S07", IMP, days(19, 21), level=Level.POSITIVE),
    *never("S07", RNR, SD, LF),
    # S08 Sleep medication.
    Expect("S08", DR, days(1, 11), active=False),
    Expect("S08", DR, days(12, 14), level=Level.DOCTOR, reasons=("medication",)),
    *never("S08", *(flag for flag in Flag if flag is not DR)),
]


@pytest.mark.parametrize("expect", EXPECTATIONS, ids=lambda e: e.id)
def test_expectation(expect: Expect) -> None:
    per_day = results(expect.scenario)
    for n in expect.days:
        result = per_day[n][expect.flag]
        where = f"{expect.scenario} d{n} {expect.flag}"
        if expect.state is not None:
            assert result.state is expect.state, where
            continue
        if not expect.active:
            assert result.state is not State.ACTIVE, where
            assert result.level is None and result.reasons == (), where
            continue
        assert result.state is State.ACTIVE, where
        if expect.level is not None:
            assert result.level is expect.level, where
        if expect.reasons is not None:
            assert result.reasons == expect.reasons, where
        for link, present in expect.links.items():
            assert result.links[link] is present, f"{where} {link}"
        for name, number in expect.numbers.items():
            assert result.numbers[name] == number, f"{where} {name}"


def _link(scenario: str, n: int, link: str) -> bool | None:
    return results(scenario)[n][RNR].links[link]


def test_s03_resolved_on_day_20() -> None:
    """S03: the chain's episode resolves once, after three inactive evaluable days."""
    history = [
        DayState.of(day_date(n), result)
        for n, per_flag in results("S03").items()
        for result in per_flag.values()
    ]
    resolved = [e for e in events(history) if e.flag is RNR and e.kind is EventKind.RESOLVED]
    assert [e.day for e in resolved] == [day_date(20)]


def test_s04_r0_is_false() -> None:
    """S04: no chain, because rest stays under 30 minutes (R0 false whenever it is known)."""
    for n in days(1, 28):
        assert _link("S04", n, "R0") is not True


def test_s05_r0_or_l4_false() -> None:
    """S05: R0 or L4 is false on every day, so the chain cannot fire."""
    for n in days(1, 21):
        assert not (_link("S05", n, "R0") and _link("S05", n, "L4"))


def test_s05_carrying_alone_blocked_by_felt_support() -> None:
    """S05: support ≥ 3 on ≥ 3 days protects, although contact is only brief."""
    for n in days(7, 21):
        assert int(results("S05")[n][CA].numbers["supported_days"]) >= 3


def test_scenario_records_are_valid() -> None:
    """Every scenario day passes the form's own validation (A.5)."""
    from journal.domain.checkin import parse_checkin, to_raw

    for name, records in SCENARIOS.items():
        for record in records:
            parsed = parse_checkin(to_raw(record), on=record.date)
            assert parsed.checkin == record, (name, record.date, parsed.errors)


def test_every_date_has_every_flag_in_order() -> None:
    for name in SCENARIOS:
        for per_flag in results(name).values():
            assert list(per_flag) == list(Flag)


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_reason_and_link_is_an_enum_member(scenario: str) -> None:
    """Reasons and link keys are the enums themselves, not bare strings that look alike."""
    for by_flag in results(scenario).values():
        for result in by_flag.values():
            assert all(isinstance(reason, Reason) for reason in result.reasons), result
            assert all(isinstance(link, Link) for link in result.links), result
            if result.flag is Flag.REST_NO_RECOVERY:
                assert list(result.links) == list(Link)
