"""Step 1 of a tick (see tick.py): a delivery row for everyone whose reminder has come, and
when to look at them again."""

from __future__ import annotations

import threading
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import Table, bindparam, select, update

from journal.clock import zone_of
from journal.domain.schedule import CHANNEL_ORDER, Channel, Plan, plan_step
from journal.extensions import db
from journal.models import PushSubscription, ReminderDelivery, ReminderSettings, User
from journal.reminders import plan_of
from journal.reminders.claim import MAX_BATCHES, locked
from journal.store.sql import insert_ignore

if TYPE_CHECKING:  # the tick imports this module to run it
    from journal.reminders.tick import TickReport

PLAN_BATCH: Final = 1000

_DELIVERIES: Table = ReminderDelivery.__table__
_SETTINGS: Table = ReminderSettings.__table__

_SET_WAKE = (
    update(_SETTINGS)
    .where(_SETTINGS.c.user_id == bindparam("b_user"))
    .values(next_due_at=bindparam("b_wake"))
)


def planned_delivery(user_id: int, channel: Channel, day: date, due: datetime) -> dict[str, Any]:
    """The values of a new `planned` ReminderDelivery row, for an insert that ignores a row
    already there for the same (user, channel, local date)."""
    return {
        "user_id": user_id,
        "channel": channel.value,
        "local_date": day,
        "due_at": due,
        "status": "planned",
        "attempts": 0,
        "detail": "",
    }


def _primary_channel(plan: Plan, has_device: bool) -> Channel | None:
    """Push when the person chose it and has a device for it, else e-mail if chosen."""
    for channel in CHANNEL_ORDER:
        if channel in plan.channels and (channel is not Channel.PUSH or has_device):
            return channel
    return None


def plan_due(now: datetime, report: TickReport, stop: threading.Event) -> None:
    for _ in range(MAX_BATCHES):
        if stop.is_set():
            return
        with locked() as skip_locked:
            query = (
                select(_SETTINGS, User.timezone)
                .join(User, User.id == _SETTINGS.c.user_id)
                .where(_SETTINGS.c.next_due_at <= now)
                .order_by(_SETTINGS.c.next_due_at)
                .limit(PLAN_BATCH)
            )
            if skip_locked:
                query = query.with_for_update(skip_locked=True, of=_SETTINGS)
            rows = db.session.execute(query).all()
            if not rows:
                return
            user_ids = [row.user_id for row in rows]
            with_device = set(
                db.session.scalars(
                    select(PushSubscription.user_id)
                    .where(PushSubscription.user_id.in_(user_ids))
                    .distinct()
                )
            )
            deliveries, wakes = [], []
            for row in rows:
                plan = plan_of(row)
                wake = row.next_due_at or now
                step = plan_step(plan, zone_of(row.timezone), wake, now)
                wakes.append({"b_user": row.user_id, "b_wake": step.wake})
                if step.day is None or step.due is None:
                    continue
                channel = _primary_channel(plan, row.user_id in with_device)
                if channel is None:
                    continue  # push only, and no device subscribed: nothing could arrive
                deliveries.append(planned_delivery(row.user_id, channel, step.day, step.due))
            if deliveries:
                db.session.execute(insert_ignore(_DELIVERIES), deliveries)
            db.session.execute(_SET_WAKE, wakes)
            report.planned += len(deliveries)
            # Caught up, unless someone is due again already (a day missed while no scheduler
            # ran is followed by today's reminder, planned in this same tick).
            behind = any(w["b_wake"] is not None and w["b_wake"] <= now for w in wakes)
        if len(rows) < PLAN_BATCH and not behind:
            return
