"""Both catalogs hold every message of the code and templates, translated, with placeholders."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "journal" / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
FORBIDDEN_NL = re.compile(r"\b(burn-?out|stoornis|diagnose|symptoom|falen|moeten|je moet)\b", re.I)


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    """Messages as they stand in the source now, not as they stood at the last extract."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "--no-location", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    return _read(pot)


def _strings(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


@pytest.mark.parametrize("locale", ["nl", "en"])
def test_catalog_is_complete(extracted: Catalog, locale: str) -> None:
    catalog = _read(CATALOGS / locale / "LC_MESSAGES" / "messages.po", locale)
    missing, untranslated, fuzzy, placeholders = [], [], [], []
    for message in extracted:
        if not message.id:
            continue
        translated = catalog.get(message.id)
        if translated is None:
            missing.append(message.id)
            continue
        strings = _strings(translated.string)
        if not all(strings):
            untranslated.append(message.id)
        if translated.fuzzy:
            fuzzy.append(message.id)
        wanted = set(PLACEHOLDER.findall(" ".join(_strings(message.id))))
        for text in strings:
            if text and set(PLACEHOLDER.findall(text)) - wanted:
                placeholders.append(message.id)
            if text and not set(PLACEHOLDER.findall(text)) >= wanted - {"num"}:
                placeholders.append(message.id)
    assert missing == [], "not in the catalog: run `make translations-update`"
    assert untranslated == []
    assert fuzzy == []
    assert placeholders == []


def test_dutch_avoids_diagnostic_and_blaming_words() -> None:
    catalog = _read(CATALOGS / "nl" / "LC_MESSAGES" / "messages.po", "nl")
    offending = [
        text for message in catalog if message.id for text in _strings(message.string)
        if FORBIDDEN_NL.search(text)
    ]
    assert offending == []
