"""Catalog upkeep: English msgids are the English text, so the en catalog mirrors them."""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

CATALOG_DIR = Path(__file__).parent / "translations"


def fill_english() -> None:
    path = CATALOG_DIR / "en" / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple):
            plural = tuple(message.string or ())
            if not plural or not all(plural):
                message.string = tuple(message.id[min(i, 1)] for i in range(max(len(plural), 2)))
        elif not message.string:
            message.string = message.id
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, catalog, omit_header=False, sort_output=True, width=100)


if __name__ == "__main__":
    if sys.argv[1:] == ["fill-english"]:
        fill_english()
    else:
        sys.exit("usage: python -m journal.i18n_catalogs fill-english")
