"""Flask commands: `evaluate` (DOMAIN G.2) and `summary` (G.3), both without a database, and
`demo`."""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import NoReturn

import click
from flask import Flask
from flask.cli import with_appcontext
from sqlalchemy import delete, select

from journal.domain import evaluate_report
from journal.domain.checkin import CheckIn
from journal.domain.diary_csv import read_diary
from journal.domain.rules import evaluate, evaluate_range
from journal.domain.summary import parse_week, report, week_figures

EXIT_BAD_INPUT = 2


def init_app(app: Flask) -> None:
    from journal.reminders.scheduler import reminders_cli

    app.cli.add_command(evaluate_command)
    app.cli.add_command(summary_command)
    app.cli.add_command(demo_command)
    app.cli.add_command(reminders_cli)


def _fail(message: str) -> NoReturn:
    click.echo(f"error: {message}", err=True)
    sys.exit(EXIT_BAD_INPUT)


def _read_records(csv_file: Path) -> list[CheckIn]:
    """The diary's records, or exit 2 naming the file, or each bad row's line and field."""
    try:
        # Bytes: read_diary knows the encodings a spreadsheet saves the diary in.
        data = csv_file.read_bytes()
    except FileNotFoundError:
        _fail(f"{csv_file}: no such file")
    except OSError as exc:
        _fail(f"{csv_file}: cannot read ({exc.__class__.__name__})")
    result = read_diary(data)
    if result.errors:
        for error in result.errors:
            detail = f" ({error.detail})" if error.detail else ""  # the column, the cell count
            click.echo(
                f"error: line {error.line}, field {error.field}: {error.code}{detail}", err=True
            )
        sys.exit(EXIT_BAD_INPUT)
    return result.records


def _day_option(name: str, text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        _fail(f"{name} {text!r}: expected YYYY-MM-DD")


@click.command("evaluate")
@click.argument("csv_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--date", "on", help="Evaluate this date (YYYY-MM-DD); default: the last date.")
@click.option("--all-days", is_flag=True, help="Evaluate every date from the first to the last.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def evaluate_command(csv_file: Path, on: str | None, all_days: bool, as_json: bool) -> None:
    """Run the rule module over a diary CSV and print the flags (touches no database)."""
    if on and all_days:
        _fail("--date and --all-days cannot be combined")
    records = _read_records(csv_file)
    if not records:
        _fail(f"{csv_file}: the diary holds no check-ins")
    if all_days:
        results = evaluate_range(records, records[0].date, records[-1].date)
    else:
        day = _day_option("--date", on) if on else records[-1].date
        results = {day: evaluate(records, day)}
    output = evaluate_report.to_json if as_json else evaluate_report.to_table
    click.echo(output(results))


@click.command("summary")
@click.argument("csv_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--week", "week", required=True, help="The ISO week, YYYY-Www (e.g. 2026-W10).")
@click.option("--today", help="Cut the week off at this date (YYYY-MM-DD); default: its Sunday.")
@click.option("--json", "as_json", is_flag=True, help="Print G.3's JSON instead of a table.")
def summary_command(csv_file: Path, week: str, today: str | None, as_json: bool) -> None:
    """Summarise one week of a diary CSV, as the week page and the coach see it (no database)."""
    monday = parse_week(week)
    if monday is None:
        _fail(f"--week {week!r}: expected YYYY-Www, an ISO week that exists (e.g. 2026-W10)")
    cut = _day_option("--today", today) if today else None
    if cut is not None and cut < monday:
        _fail(f"--today {today}: lies before the week's Monday {monday.isoformat()}")
    figures = week_figures(_read_records(csv_file), monday, cut)
    click.echo(report.to_json(figures) if as_json else report.to_table(figures))


@click.command("demo")
@with_appcontext
@click.option("--email", default="demo@example.org", show_default=True)
@click.option("--password", default="demo-wachtwoord", show_default=True)
def demo_command(email: str, password: str) -> None:
    """Create (or renew) a demo account with 8 weeks of check-ins."""
    from journal.clock import local_today
    from journal.demo import DEMO_DAYS, demo_diary
    from journal.extensions import db
    from journal.models import CheckinRow, User
    from journal.passwords import PASSWORD_MIN, long_enough
    from journal.store.flag_states import refresh
    from journal.web.auth import hasher

    if not long_enough(password):
        _fail(f"--password: at least {PASSWORD_MIN} characters, as the app asks of everyone")
    email = email.strip().lower()
    user = db.session.scalar(select(User).where(User.email == email))
    now = datetime.now(UTC)
    if user is None:
        user = User(email=email, language="nl", timezone="Europe/Amsterdam", created_at=now)
        db.session.add(user)
    user.password_hash = hasher.hash(password)
    # Whoever runs the app vouches for the address; no banner asks to confirm it (issue 19).
    user.email_verified_at = user.email_verified_at or now
    db.session.flush()
    db.session.execute(delete(CheckinRow).where(CheckinRow.user_id == user.id))
    today = local_today(user.timezone)
    # Made on their own mornings, so old demo days are past their edit window.
    db.session.add_all(
        CheckinRow.new(user.id, checkin, datetime.combine(checkin.date, time(7, 30), tzinfo=UTC))
        for checkin in demo_diary(today)
    )
    db.session.commit()
    refresh(user.id, today - timedelta(days=DEMO_DAYS), today)
    click.echo(f"Demo account ready: {email} / {password}")
