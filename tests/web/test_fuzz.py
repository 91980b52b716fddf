"""Issue 17: no request, however hostile, answers 5xx or reaches another person's data.

The routes are read from the app's URL map (every rule and method but static files, HEAD and
OPTIONS), so a new route is fuzzed without anyone remembering to add it here. The field names
are read from the sources (`request.form.get("…")` and the like in journal/web, `name="…"` in
the templates) and the check-in's questions, for the same reason.

Each request starts from plausible values for every field, so it gets past the first check and
into the code behind it. Then hypothesis makes about a third of the fields the route's module
reads, and of the check-in's answers, hostile (any other field now and then): huge numbers,
'²', NUL, lone surrogates, CR/LF, very long text, negative numbers, dates of year 1 and 9999,
the plausible value bent to such an edge, or nothing at all; in the address too, and in JSON
of the wrong type. Three requests in four are made logged in, as the person. The other
account, whose ids, dates and link are among the plausible values, must come out of every
route with all its rows unchanged.

A route gets requests for about ROUTE_SECONDS (so a new route costs little time and a PDF
route is not tried as often as a quick one); there is no shrinking, so a failing run stays as
short as a passing one, and every route is tried before the failures are listed.

Run with `-s` to see the counts (requests, statuses, 5xx) per backend.
"""

from __future__ import annotations

import base64
import inspect
import io
import json
import re
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import time as clock_time
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus

import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from journal import create_app
from journal.clock import now_utc
from journal.domain.checkin import FIELD_ORDER
from journal.domain.diary_csv import write_diary
from journal.domain.lifecycle import SIGNPOSTS
from journal.extensions import db
from journal.models import PushSubscription, ReminderSettings, ShareLink, User, WeeklyReflection
from journal.models.accounts import login_id
from journal.reminders.mail import unsubscribe_token
from journal.store import share_links
from journal.web import words
from tests.conftest import FROZEN_NOW, Accounts, store_diary
from tests.payloads import DEFAULT_DAY
from tests.reminders.keys import subscriber_keys
from tests.web.sharing import TODAY, diary, note_ids

ROOT = Path(__file__).resolve().parents[2]
# Each route gets about ROUTE_SECONDS of requests, at least MIN and at most MAX of them: a quick
# route is tried far more often than one that renders a PDF, and the file stays within its
# budget on both databases (the first few requests measure the route).
ROUTE_SECONDS = 0.7
MIN_EXAMPLES, MAX_EXAMPLES, PROBE_EXAMPLES = 5, 40, 3
PERSON, OTHER = "fuzz@example.org", "ander@example.org"


# --- What to fuzz: read from the app and its sources ---------------------------------------


_READS = re.compile(r"""\.get(?:list)?\(\s*["']([A-Za-z_][\w-]*)["']""")
_NAMES = re.compile(r"""\bname=["']([A-Za-z_][\w-]*)["']""")


@dataclass(frozen=True)
class Route:
    rule: str
    method: str
    variables: tuple[str, ...]  # the URL's variables
    reads: tuple[str, ...]  # the names its module reads: made hostile more often
    json: bool  # its module reads JSON bodies (then most of its bodies are JSON)

    def __str__(self) -> str:
        return f"{self.method} {self.rule}"


def routes() -> list[Route]:
    """Every rule and method of the app but static files, HEAD and OPTIONS."""
    app = create_app({"TESTING": True, "DATABASE_URL": "sqlite://", "SECRET_KEY": "x"})
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        module = inspect.getmodule(app.view_functions[rule.endpoint])
        source = inspect.getsource(module) if module else ""
        reads = tuple(sorted(set(_READS.findall(source))))
        for method in sorted((rule.methods or set()) - {"HEAD", "OPTIONS"}):
            found.append(
                Route(rule.rule, method, tuple(rule.arguments), reads, "get_json" in source)
            )
    return found


def field_names() -> list[str]:
    """The names a view reads or a template's form sends, and the check-in's questions."""
    names: set[str] = set(FIELD_ORDER)
    for path in (ROOT / "journal" / "web").glob("*.py"):
        names.update(_READS.findall(path.read_text(encoding="utf-8")))
    for path in (ROOT / "templates").rglob("*.html"):
        names.update(_NAMES.findall(path.read_text(encoding="utf-8")))
    return sorted(names)


ROUTES = routes()
NAMES = field_names()


# --- Hostile values ----------------------------------------------------------------------------

# The nastiest first: hypothesis draws early items of a list more often.
HOSTILE = [
    "²", "\x00", "\ud800", "9" * 4301, "99999999999999999999", "0001-01-01", "9999-12-31",
    "0001-W01", "/\r\nX-Set: 1", "x\udfffy", "a\x00b", str(2**31), str(2**63), "-1",
    "0001-01-01T00:00:00", "9999-12-31T23:59:59-12:00", "0001-01-01T00:00:00+14:00", "\r\n",
    "x" * 5000, "", " ", "٣", "-4", "0", "1e3", "NaN", "4.5", "0000-00-00", "2026-02-30",
    "20260310", "9999-W52", "2026-W53", "//evil.example", "/\\evil.example", "/\t/evil.example",
    "javascript:alert(1)", "<script>alert(1)</script>", "'; DROP TABLE users; --", "%00",
    "../../etc/passwd", '=HYPERLINK("x")', "🙂", "\u202e", "true", "null", "on", "1",
]  # fmt: skip
_PIECES = st.sampled_from(HOSTILE) | st.text(max_size=12)
# Mostly the list itself, now and then a mix of its pieces and random text.
hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.sampled_from(HOSTILE),
    st.lists(_PIECES, min_size=1, max_size=3).map("".join),
)
# JSON can carry more than text: numbers of any size, floats, null, lists, objects.
hostile_json = st.one_of(
    hostile_text,
    hostile_text,
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.booleans(),
    st.lists(hostile_text, max_size=3),
    st.dictionaries(st.sampled_from(["a", "endpoint", "note"]), hostile_text, max_size=2),
)


def mutants(plausible: Any) -> st.SearchStrategy[Any]:
    """Hostile variants of a plausible value: its number or year at the edge of the calendar
    or past what int() takes, and the text with a NUL, a lone surrogate or CR/LF in it."""
    text = str(plausible)
    options = []
    if re.match(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
        options += ["0001-01-01" + text[10:], "9999-12-31" + text[10:]]
    # Every number at its least ("2026-W11" → "0001-W01"), then the first one made hostile.
    options.append(re.sub(r"[0-9]+", lambda m: "1".zfill(len(m.group())), text))
    digits = re.search(r"[0-9]+", text)
    if digits:
        start, end = digits.span()
        for part in ("0001", "²", "99999999999999999999", "9" * 4301, str(2**31), "9999"):
            options.append(text[:start] + part + text[end:])
    options += [text + "\x00", "\ud800" + text, text + "\r\n/x", text * 500, "-" + text, ""]
    return st.sampled_from(options)


# --- The two people and what is plausible for each field ------------------------------------


@dataclass
class World:
    person: int
    other: int
    fields: dict[str, list[Any]]  # plausible values by field name
    variables: dict[str, list[str]]  # plausible values by URL variable name


def _build_world(app: Flask, accounts: Accounts) -> World:
    person, other = accounts.create(PERSON), accounts.create(OTHER)
    for user_id in (person, other):
        store_diary(app, user_id, diary())
    _key, p256dh, auth = subscriber_keys()
    with app.app_context():
        tokens = {}
        for user_id in (person, other):
            ids = set(note_ids(app, user_id).values())
            tokens[user_id] = share_links.create_link(
                user_id, TODAY, label="coach", weeks=4, expiry_days=30,
                picked_notes=ids, include_notes=True,
            )  # fmt: skip
            db.session.add(
                ReminderSettings(
                    user_id=user_id, enabled=True, remind_at=clock_time(9), weekdays="1111111",
                    push=True, email=True, only_if_not_checked_in=True, auto_paused=False,
                    unanswered=0, updated_at=now_utc(),
                )
            )  # fmt: skip
            db.session.add(
                WeeklyReflection(
                    user_id=user_id, week="2026-W10", text="Rustig", updated_at=now_utc()
                )
            )
        db.session.add(
            PushSubscription(
                user_id=other, endpoint="https://push.example.org/ander", p256dh=p256dh,
                auth=auth, created_at=now_utc(), user_agent="Firefox",
            )
        )  # fmt: skip
        db.session.commit()
        link_ids = list(db.session.scalars(sa.select(ShareLink.id)))
        person_user = db.session.get(User, person)
        assert person_user is not None
        unsubscribe = unsubscribe_token(app, person, person_user.created_at)
        notes = [str(i) for user_id in (person, other) for i in note_ids(app, user_id).values()]
        csv_text = write_diary(diary()[-3:])
    days = [(TODAY - timedelta(days=back)).isoformat() for back in (0, 1, 2, 9)]
    fields: dict[str, list[Any]] = {name: [value] for name, value in DEFAULT_DAY.items()}
    fields.update(
        {
            "note": ["Goed geslapen, daarna een wandeling"],
            "weeks": ["4", "12"], "expiry": ["30"], "label": ["mijn coach"], "include_notes": ["1"],
            "notes": notes, "until": days, "text": ["Een rustige week"], "email": [PERSON, OTHER],
            "password": ["not the password"], "current_password": ["not the password"],
            "new_password": ["a brand new password"], "delete_password": ["not the password"],
            "next": ["/history", "/week"], "language": ["nl", "en"], "lang": ["nl", "en"],
            "timezone": ["Europe/Amsterdam", "Pacific/Honolulu"], "remember": ["1"],
            "flag": [flag.value for flag in SIGNPOSTS], "dismiss_reason": list(words.DISMISS_REASONS),
            "remind_at": ["09:00"], "weekdays": ["0", "6"], "enabled": ["on"], "push": ["on"],
            "only_if_not_checked_in": ["on"], "paused_until": ["2026-03-20"], "action": ["off"],
            "confirm": ["1"], "csv_text": [csv_text], "file": [csv_text],
            "csv_base64": [base64.b64encode(csv_text.encode()).decode()],
            "List-Unsubscribe": ["One-Click"],
            "client_id": [str(uuid.UUID(int=7))], "date": days,
            "made_at": [FROZEN_NOW.isoformat()], "endpoint": ["https://push.example.org/fuzz"],
            "keys": [{"p256dh": p256dh, "auth": auth}],
        }
    )  # fmt: skip
    variables = {
        "iso_date": days,
        "week": ["2026-W11", "2026-W10"],
        "token": [tokens[person], unsubscribe],
        "link_id": [str(i) for i in link_ids],  # the other person's link among them
    }
    return World(person, other, fields, variables)


def others_rows(app: Flask, user_id: int) -> dict[str, list[str]]:
    """Every row that belongs to `user_id`: their own, and the rows that hang from those."""
    out: dict[str, list[str]] = {}
    owned: dict[str, set[Any]] = {}
    with app.app_context():
        db.session.remove()
        for table in db.metadata.sorted_tables:  # parents before children
            if table.name == "users":
                where = table.c.id == user_id
            elif "user_id" in table.c:
                where = table.c.user_id == user_id
            else:
                parents = [
                    fk.parent.in_(owned[fk.column.table.name])
                    for fk in table.foreign_keys
                    if fk.column.table.name in owned
                ]
                if not parents:
                    continue  # nobody's rows (the evaluation runs)
                where = sa.or_(*parents)
            rows = db.session.execute(sa.select(table).where(where)).all()
            if "id" in table.c:
                owned[table.name] = {row.id for row in rows}
            out[table.name] = sorted(repr(tuple(row)) for row in rows)
    return out


# --- Requests ------------------------------------------------------------------------------


def _encode(text: str) -> str:
    # What a browser would send for the text; a lone surrogate as the bytes of its code point
    # (the test client itself cannot encode one).
    return quote(text.encode("utf-8", "surrogatepass"), safe="")


def _form(pairs: list[tuple[str, Any]]) -> bytes:
    return "&".join(
        f"{_encode(name)}={quote_plus(str(value).encode('utf-8', 'surrogatepass'))}"
        for name, value in pairs
    ).encode("ascii")


def _plain(value: Any) -> str:
    """A value as text a multipart body can carry (the test client needs valid UTF-8 there)."""
    return str(value).encode("utf-8", "surrogatepass").decode("utf-8", "replace")


@dataclass(frozen=True)
class Request:
    """What hypothesis draws: the changes to the plausible request, so a failure reads short."""

    logged_in: bool
    body: str  # form | json | multipart
    variables: dict[str, Any]
    picks: tuple[tuple[str, Any], ...]  # another plausible value for a field
    hostile: tuple[tuple[str, Any, bool], ...]  # (field, value, before the plausible one)
    query: tuple[tuple[str, str], ...]  # extra query fields
    language: str  # Accept-Language
    address: str  # where it comes from: spread, so rate limits do not stop the fuzzing early

    def path(self, route: Route) -> str:
        def fill(match: re.Match[str]) -> str:
            return _encode(str(self.variables[match.group(1)]))

        return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", fill, route.rule)

    def pairs(self, world: World) -> list[tuple[str, Any]]:
        picked = dict(self.picks)
        pairs = [(name, picked.get(name, values[0])) for name, values in world.fields.items()]
        for name, value, twice in self.hostile:
            # Instead of the plausible value, or before it: `.get()` reads the first value.
            kept = [(n, v) for n, v in pairs if n == name] if twice else []
            pairs = [(n, v) for n, v in pairs if n != name]
            if value is not MISSING:
                pairs.append((name, value))
            pairs += kept
        return pairs


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()  # a hostile "value": the field left out


def requests_for(route: Route, world: World) -> st.SearchStrategy[Request]:
    """Every name the route's module reads, and every check-in answer, is hostile a third of
    the time (and a few other names now and then): a bad value breaks a view on its own, so
    many at once find more per request."""
    several = [name for name, values in world.fields.items() if len(values) > 1]
    targets = sorted({*route.reads, *FIELD_ORDER})
    bodies = ["json", "json", "form"] if route.json else ["form", "form", "multipart"]

    def variable(name: str) -> st.SearchStrategy[Any]:
        plausible = world.variables.get(name)
        if not plausible:
            return hostile_text
        return st.sampled_from(plausible) | st.sampled_from(plausible).flatmap(mutants)

    @st.composite
    def build(draw: st.DrawFn) -> Request:
        body = draw(st.sampled_from(bodies))
        any_value = hostile_json if body == "json" else hostile_text

        def bad(name: str) -> st.SearchStrategy[Any]:
            plausible = world.fields.get(name)
            if not plausible:
                return st.one_of(any_value, any_value, st.just(MISSING))
            mutant = st.sampled_from(plausible).flatmap(mutants)
            return st.one_of(mutant, mutant, any_value, st.just(MISSING))

        picks = [
            (name, draw(st.sampled_from(world.fields[name])))
            for name in draw(st.sets(st.sampled_from(several), max_size=3))
        ]
        twice = st.sampled_from([False, False, True])
        chosen = [name for name in targets if draw(st.sampled_from([True, False, False]))]
        chosen += draw(st.lists(st.sampled_from(NAMES), max_size=2))
        hostile = [(name, draw(bad(name)), draw(twice)) for name in chosen]
        return Request(
            logged_in=draw(st.sampled_from([True, True, True, False])),
            body=body,
            variables={name: draw(variable(name)) for name in route.variables},
            picks=tuple(picks),
            hostile=tuple(hostile),
            query=tuple(
                draw(st.lists(st.tuples(st.sampled_from(NAMES), hostile_text), max_size=2))
            ),
            language=draw(st.sampled_from(["nl", "en", "xx", "*", ""])),
            address=f"10.{draw(st.integers(0, 255))}.{draw(st.integers(0, 255))}.{draw(st.integers(1, 254))}",
        )

    return build()


def _json(pairs: list[tuple[str, Any]]) -> str:
    answers: dict[str, Any] = {}
    body: dict[str, Any] = {"answers": answers}  # a hostile "answers" replaces the object
    for name, value in pairs:
        (answers if name in FIELD_ORDER else body)[name] = value
    return json.dumps(body)  # a lone surrogate as a \ud800 escape, as a browser's JSON.stringify


def send(client: FlaskClient, app: Flask, world: World, route: Route, request: Request) -> Any:
    with client.session_transaction() as session:
        session.clear()
        if request.logged_in:
            with app.app_context():
                user = db.session.get(User, world.person)
                assert user is not None
                session["_user_id"] = login_id(user.id, user.session_token)
                session["_fresh"] = True
    client.delete_cookie("remember_token")
    pairs = request.pairs(world)
    query = list(request.query)
    if route.method == "GET":
        query += [(name, value) for name, value in pairs if isinstance(value, str)]
    options: dict[str, Any] = {
        "method": route.method,
        "query_string": _form(query).decode("ascii"),
        "headers": {"Accept-Language": request.language},
        "environ_base": {"REMOTE_ADDR": request.address},
    }
    if route.method != "GET":
        if request.body == "json":
            options.update(data=_json(pairs), content_type="application/json")
        elif request.body == "multipart":
            data: dict[str, Any] = {}
            for name, value in pairs:
                if name == "file":  # an upload: any bytes, as a file from disk may hold
                    raw = str(value).encode("utf-8", "surrogatepass")
                    data.setdefault(name, []).append((io.BytesIO(raw), "diary.csv"))
                else:
                    data.setdefault(name, []).append(_plain(value))
            options.update(data=data, content_type="multipart/form-data")
        else:
            options.update(data=_form(pairs), content_type="application/x-www-form-urlencoded")
    return client.open(request.path(route), **options)


# --- The test --------------------------------------------------------------------------------


def fuzz_route(
    route: Route, run: Callable[[Request], int], world: World, examples: int
) -> Iterator[str]:
    """Hypothesis's requests to one route; yields the failure, if any, as text."""

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        # No shrinking: the drawn changes already read short, and the run stays bounded in time
        # when something fails.
        phases=[Phase.explicit, Phase.generate],
    )
    @given(requests_for(route, world))
    def check(request: Request) -> None:
        status = run(request)
        assert status < 500, f"answered {status}"

    try:
        check()
    except Exception as failure:  # every route is tried, so one run lists every failure
        where = "".join(traceback.format_tb(failure.__traceback__))[-2000:]
        case = "\n".join(getattr(failure, "__notes__", []))[:2000]  # hypothesis's example
        yield f"{route}: {type(failure).__name__}: {str(failure)[:300]}\n{where}{case}"


def test_no_input_breaks_the_service_or_reaches_another_person(
    app: Flask, client: FlaskClient, accounts: Accounts
) -> None:
    world = _build_world(app, accounts)
    before = others_rows(app, world.other)
    statuses: Counter[int] = Counter()
    failures: list[str] = []
    started = time.monotonic()
    seconds: dict[str, float] = {}

    for route in ROUTES:

        def run(request: Request, route: Route = route) -> int:
            try:
                status = int(send(client, app, world, route, request).status_code)
            except Exception:  # TESTING propagates a view's exception: that is a 500
                statuses[500] += 1
                raise
            statuses[status] += 1
            return status

        route_started = time.monotonic()
        probe = list(fuzz_route(route, run, world, PROBE_EXAMPLES))
        each = (time.monotonic() - route_started) / PROBE_EXAMPLES
        examples = max(MIN_EXAMPLES, min(MAX_EXAMPLES, int(ROUTE_SECONDS / each)))
        failures.extend(probe or fuzz_route(route, run, world, examples - PROBE_EXAMPLES))
        seconds[str(route)] = time.monotonic() - route_started
        after = others_rows(app, world.other)
        if after != before:
            failures.append(f"{route} changed the other person's rows")
            before = after

    # Captured: `-s` shows it, and so does a failure.
    summary = ", ".join(f"{code}: {n}" for code, n in sorted(statuses.items()))
    server_errors = sum(n for code, n in statuses.items() if code >= 500)
    print(
        f"\nfuzz [{app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}]: "
        f"{len(ROUTES)} routes, {statuses.total()} requests, {server_errors} 5xx "
        f"in {time.monotonic() - started:.0f} s ({summary})"
    )
    slowest = sorted(seconds.items(), key=lambda item: -item[1])[:6]
    print("slowest: " + ", ".join(f"{route} {s:.1f} s" for route, s in slowest))
    for failure in failures:
        print("failed: " + failure.splitlines()[0])
    assert not failures, "\n\n".join(failures)
