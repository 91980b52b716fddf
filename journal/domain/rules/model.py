"""DOMAIN C.0: what a rule returns. Ids and numbers only; the web layer words them.

The ids are enums so that a typo fails the type check instead of silently matching nothing.
They are StrEnums with the spec's own strings as values: the G.2 JSON, the database and the
web layer's tables hold exactly those strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any


class Flag(StrEnum):
    """The flags of C.2–C.11, in spec order."""

    REST_NO_RECOVERY = "REST_NO_RECOVERY"
    EARLY_SIGNS = "EARLY_SIGNS"
    SLEEP_DISRUPTED = "SLEEP_DISRUPTED"
    NO_ROOM_TO_RECOVER = "NO_ROOM_TO_RECOVER"
    CARRYING_ALONE = "CARRYING_ALONE"
    LITTLE_OUTDOOR_MOVEMENT = "LITTLE_OUTDOOR_MOVEMENT"
    SIGNPOST_LOOK_FURTHER = "SIGNPOST_LOOK_FURTHER"
    SIGNPOST_DOCTOR = "SIGNPOST_DOCTOR"
    IMPROVING = "IMPROVING"
    CHECKIN_GAP = "CHECKIN_GAP"


class State(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    INSUFFICIENT = "insufficient_data"


class Level(IntEnum):
    POSITIVE = -1
    INFO = 0
    NOTICE = 1
    ATTENTION = 2
    PERSISTENT = 3
    DOCTOR = 4

    @property
    def id(self) -> str:
        return self.name.lower()


class Reason(StrEnum):
    """Every reason a flag can give, grouped by flag in spec order (C.3, C.4, C.8–C.10)."""

    # EARLY_SIGNS: seed 004's four early signs (C.3)
    E1 = "E1"  # starting up takes longer
    E2 = "E2"  # relaxing takes more effort
    E3 = "E3"  # sleep no longer refreshes
    E4 = "E4"  # keeps going but doesn't recharge
    # SLEEP_DISRUPTED (C.4)
    DISTURBED_NIGHTS = "disturbed_nights"
    LOW_EFFICIENCY = "low_efficiency"
    SHORT_SLEEP = "short_sleep"
    # SIGNPOST_LOOK_FURTHER (C.8)
    CHAIN_PERSISTENT = "chain_persistent"
    EARLY_SIGNS_3W = "early_signs_3w"
    # SIGNPOST_DOCTOR (C.9)
    SLEEPINESS = "sleepiness"
    SLEEP_DISORDER_SIGNS = "sleep_disorder_signs"
    MEDICATION = "medication"
    MEDICAL = "medical"
    # IMPROVING (C.10)
    RECOVERY_UP = "recovery_up"
    TENSION_DOWN = "tension_down"
    REST_RECHARGING = "rest_recharging"
    SLEEP_REFRESHING = "sleep_refreshing"

    @classmethod
    def parse_list(cls, text: str) -> tuple[Reason, ...]:
        """Reasons stored as one ";"-joined string, in their stored order ("" for none).

        An unknown id raises ValueError: only the rules write these strings, so one that is
        not a member means the data was changed outside the app.
        """
        return tuple(cls(part) for part in text.split(";") if part)


class Link(StrEnum):
    """The links of seed 004's chain (C.2): the precondition R0 and the links L1–L5."""

    R0 = "R0"  # rest is taken
    L1 = "L1"  # load without enough recovery for a while
    L2 = "L2"  # ongoing activation
    L3 = "L3"  # less able to let go
    L4 = "L4"  # poorer recovery, also in sleep
    L5 = "L5"  # more effort to function


Links = Mapping[Link, bool | None]
Numbers = Mapping[str, int | bool | str]


@dataclass(frozen=True)
class FlagResult:
    """One flag on one date. Not active ⇒ level None and no reasons (C.14.9)."""

    flag: Flag
    state: State
    level: Level | None
    reasons: tuple[Reason, ...]
    links: Links
    numbers: Numbers

    @property
    def active(self) -> bool:
        return self.state is State.ACTIVE


def result_to_json(result: FlagResult) -> dict[str, Any]:
    """The G.2 JSON object of one flag, plus its template numbers."""
    return {
        "flag": result.flag.value,
        "state": result.state.value,
        "level": None if result.level is None else result.level.id,
        # str(): plain strings out, also from a result built by hand with bare ids.
        "reasons": [str(reason) for reason in result.reasons],
        "links": {str(link): held for link, held in result.links.items()},
        "numbers": dict(result.numbers),
    }
