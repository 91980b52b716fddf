"""The domain stays pure (DESIGN.md): no web framework, no database, no clock."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

DOMAIN = Path(__file__).resolve().parents[2] / "journal" / "domain"
FORBIDDEN_PACKAGES = frozenset({"flask", "sqlalchemy", "werkzeug", "flask_sqlalchemy"})
# (object, method) pairs that read the clock; matched on the last two names of a call such as
# `date.today()`, `datetime.datetime.now()` or `time.time()`.
CLOCK_CALLS = frozenset(
    {
        ("date", "today"),
        ("datetime", "today"),
        ("datetime", "now"),
        ("datetime", "utcnow"),
        ("time", "time"),
        ("time", "time_ns"),
        ("time", "monotonic"),
        ("time", "perf_counter"),
        ("time", "localtime"),
        ("time", "gmtime"),
    }
)
CLOCK_IMPORTS = frozenset(
    {("time", name) for _, name in CLOCK_CALLS} | {("datetime", "now"), ("datetime", "today")}
)


def _dotted(node: ast.expr) -> list[str]:
    names: list[str] = []
    while isinstance(node, ast.Attribute):
        names.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        names.append(node.id)
    return names[::-1]


def violations(source: str) -> list[str]:
    """Forbidden imports and clock reads in one module's source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                root = alias.name.split(".")[0]
                if root in FORBIDDEN_PACKAGES or root.startswith("flask_"):
                    found.append(f"line {node.lineno}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module:
            root = node.module.split(".")[0]
            if root in FORBIDDEN_PACKAGES or root.startswith("flask_"):
                found.append(f"line {node.lineno}: from {node.module} import ...")
            for alias in node.names:
                if (node.module, alias.name) in CLOCK_IMPORTS:
                    found.append(f"line {node.lineno}: from {node.module} import {alias.name}")
        elif isinstance(node, ast.Call):
            names = _dotted(node.func)
            if len(names) >= 2 and (names[-2], names[-1]) in CLOCK_CALLS:
                found.append(f"line {node.lineno}: {'.'.join(names)}()")
    return found


MODULES = sorted(DOMAIN.rglob("*.py"))


@pytest.mark.parametrize("module", MODULES, ids=lambda path: path.relative_to(DOMAIN).as_posix())
def test_domain_module_is_pure(module: Path) -> None:
    assert violations(module.read_text(encoding="utf-8")) == []


def test_the_domain_modules_are_found() -> None:
    names = {path.relative_to(DOMAIN).as_posix() for path in MODULES}
    assert {"checkin.py", "metrics.py", "rules/__init__.py", "lifecycle.py"} <= names


@pytest.mark.parametrize(
    "source",
    [
        "import flask",
        "from flask import request",
        "import sqlalchemy as sa",
        "from sqlalchemy.orm import Session",
        "from werkzeug.security import check_password_hash",
        "import flask_login",
        "from datetime import date\nx = date.today()",
        "import datetime\nx = datetime.datetime.now()",
        "from datetime import datetime\nx = datetime.utcnow()",
        "import time\nx = time.time()",
        "from time import time",
    ],
)
def test_the_scanner_catches(source: str) -> None:
    assert violations(source) != []


def test_the_scanner_allows_pure_code() -> None:
    source = "from datetime import date, time, timedelta\nx = date(2026, 1, 1) + timedelta(1)"
    assert violations(source) == []
