"""DOMAIN C.5–C.7: the week's days themselves, without a baseline.

NO_ROOM_TO_RECOVER (going on without rest), CARRYING_ALONE (little support during a strained
week) and LITTLE_OUTDOOR_MOVEMENT (an invitation to walk). Each needs the common gate of C.3–C.7
and reads only W7.
"""

from __future__ import annotations

from datetime import date

from journal.domain.checkin import Social
from journal.domain.metrics import REST_MIN, ri_times_3
from journal.domain.rules.chain import chain
from journal.domain.rules.diary import Core, Diary, active_if, count, gate
from journal.domain.rules.early_signs import early
from journal.domain.rules.model import Flag, FlagResult, Level, State
from journal.domain.rules.parameters import (
    CA_NOT_MEANINGFUL_DAYS,
    CA_RI_BELOW,
    CA_SUPPORT_FROM,
    CA_SUPPORTED_DAYS,
    LOAD_HIGH,
    LOM_MAX_WALK_DAYS,
    LOM_WALK_FROM,
    NR_HEAVY_DAYS,
    NR_RI_BELOW,
    NR_SHORT_REST_DAYS,
)

# --- C.5 NO_ROOM_TO_RECOVER ------------------------------------------------------------------


def no_room(diary: Diary, day: date) -> Core:
    return diary.memo("no_room", None, day, lambda: _compute_no_room(diary, day))


def _compute_no_room(diary: Diary, day: date) -> Core:
    if not gate(diary, day):
        return Core(State.INSUFFICIENT)
    w7 = diary.valid_in(day, 7)
    heavy = count(w7, lambda r: r.day_load >= LOAD_HIGH)
    active = (
        heavy >= NR_HEAVY_DAYS
        and count(w7, lambda r: r.rest_minutes < REST_MIN) >= NR_SHORT_REST_DAYS
        and sum(ri_times_3(r) for r in w7) < NR_RI_BELOW * 3 * len(w7)
    )
    return Core(active_if(active), (), {"n_heavy": heavy})


def no_room_to_recover(diary: Diary, day: date) -> FlagResult:
    """Going on without rest: heavy days on at least four mornings, little deliberate rest on
    at least five, and a low mean recovery. Notice. It cannot coincide with the chain, which
    needs four rest days."""
    core = no_room(diary, day)
    level = Level.NOTICE if core.state is State.ACTIVE else None
    return FlagResult(Flag.NO_ROOM_TO_RECOVER, core.state, level, (), {}, core.numbers or {})


# --- C.6 CARRYING_ALONE ----------------------------------------------------------------------


def carrying_alone(diary: Diary, day: date) -> FlagResult:
    """Little contact that really helped (not meaningful on five or more days), no felt support
    on three or more days, during a strained week (chain, early signs or no room active today,
    or a mean recovery under 50). Felt support protects even when contact is brief. Notice."""
    if not gate(diary, day):
        return FlagResult(Flag.CARRYING_ALONE, State.INSUFFICIENT, None, (), {}, {})
    w7 = diary.valid_in(day, 7)
    not_meaningful = count(w7, lambda r: r.social_contact is not Social.MEANINGFUL)
    supported = count(
        w7, lambda r: r.support_felt is not None and r.support_felt >= CA_SUPPORT_FROM
    )
    strained = (
        chain(diary, day).state is State.ACTIVE
        or early(diary, day).state is State.ACTIVE
        or no_room(diary, day).state is State.ACTIVE
        or sum(ri_times_3(r) for r in w7) < CA_RI_BELOW * 3 * len(w7)
    )
    active = not_meaningful >= CA_NOT_MEANINGFUL_DAYS and supported < CA_SUPPORTED_DAYS and strained
    return FlagResult(
        Flag.CARRYING_ALONE,
        active_if(active),
        Level.NOTICE if active else None,
        (),
        {},
        {"not_meaningful_days": not_meaningful, "supported_days": supported},
    )


# --- C.7 LITTLE_OUTDOOR_MOVEMENT -------------------------------------------------------------


def little_outdoor_movement(diary: Diary, day: date) -> FlagResult:
    """At most one day in the week with a calm walk outdoors of ten minutes or more. Info: an
    invitation, never a shortfall."""
    if not gate(diary, day):
        return FlagResult(Flag.LITTLE_OUTDOOR_MOVEMENT, State.INSUFFICIENT, None, (), {}, {})
    walks = count(diary.valid_in(day, 7), lambda r: r.walk_outside_min >= LOM_WALK_FROM)
    active = walks <= LOM_MAX_WALK_DAYS
    return FlagResult(
        Flag.LITTLE_OUTDOOR_MOVEMENT,
        active_if(active),
        Level.INFO if active else None,
        (),
        {},
        {"walk_days": walks},
    )
