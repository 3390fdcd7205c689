"""Check that the English catalog holds every translatable string in the source, without touching the repository.

Runs ``makemessages`` for English in a temporary directory that holds symlinks to the project's top-level
entries (minus .venv, var, e2e, locale, dot-files) and an empty ``locale/``, with LOCALE_PATHS pointed there,
then compares the extracted msgids with ``locale/en/LC_MESSAGES/django.po``.
Exits non-zero and lists the msgids that are missing; msgids the catalog has but the source no longer uses are
listed as stale (an error only with --strict).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings

# Same scope as the documented makemessages call (--ignore=.venv --ignore=var --ignore=e2e).
SKIPPED = {".venv", "var", "e2e", "locale", "node_modules", "__pycache__"}

Key = tuple[str | None, str, str | None]


def entry_key(entry: polib.POEntry) -> Key:
    return (entry.msgctxt or None, entry.msgid, entry.msgid_plural or None)


def extract_source_msgids(base_dir: Path, domain: str = "django") -> set[Key]:
    """The (msgctxt, msgid, msgid_plural) triples makemessages extracts from the project source today."""
    with tempfile.TemporaryDirectory(prefix="rightpath-i18n-") as tmp:
        root = Path(tmp)
        for child in base_dir.iterdir():
            if child.name in SKIPPED or child.name.startswith("."):
                continue
            (root / child.name).symlink_to(child, target_is_directory=child.is_dir())
        (root / "locale").mkdir()
        previous = Path.cwd()
        os.chdir(root)
        try:
            with override_settings(LOCALE_PATHS=[root / "locale"]):
                call_command("makemessages", locale=["en"], domain=domain, symlinks=True, no_location=True, verbosity=0)
        finally:
            os.chdir(previous)
        return {entry_key(e) for e in polib.pofile(str(root / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"))}


def catalog_msgids(path: Path) -> set[Key]:
    return {entry_key(e) for e in polib.pofile(str(path)) if not e.obsolete}


def describe(key: Key) -> str:
    context, msgid, plural = key
    text = repr(msgid) + (f" / plural {plural!r}" if plural else "")
    return f"[{context}] {text}" if context else text


class Command(BaseCommand):
    help = "Fail when the source has translatable strings that the catalogs in locale/ do not have yet."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--domain", default="django")
        parser.add_argument("--strict", action="store_true", help="Also fail on stale msgids no longer in the source.")

    def handle(self, *args: Any, domain: str, strict: bool, **options: Any) -> None:
        base_dir = Path(settings.BASE_DIR)
        catalog = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / f"{domain}.po"
        if not catalog.exists():
            raise CommandError(f"{catalog} does not exist: run makemessages first.")
        source, known = extract_source_msgids(base_dir, domain), catalog_msgids(catalog)
        missing, stale = sorted(source - known, key=str), sorted(known - source, key=str)
        for key in stale:
            self.stdout.write(f"stale (no longer in the source): {describe(key)}")
        for key in missing:
            self.stderr.write(f"missing from {catalog.relative_to(base_dir)}: {describe(key)}")
        if missing or (strict and stale):
            raise CommandError(
                f"{len(missing)} msgid(s) missing, {len(stale)} stale. Run makemessages (see bin/translate.py) "
                "and translate the new strings."
            )
        self.stdout.write(f"All {len(source)} source msgids are in the catalogs.")
