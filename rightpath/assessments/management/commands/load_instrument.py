"""``manage.py load_instrument FILE``: load an instrument definition from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rightpath.assessments.instruments import FORMAT, InstrumentFileError, decode
from rightpath.assessments.services import instrument_load


class Command(BaseCommand):
    help = (
        "Load an assessment instrument definition from a YAML (.yaml, .yml) or JSON (.json) file in "
        f"the {FORMAT} format (see rightpath/assessments/instruments.py and the demonstration "
        "instrument rightpath/assessments/instruments/demo_needs.yaml). The file is checked completely "
        "first, with the same rules as the web upload: on any problem nothing is stored, every problem "
        "is printed with its line and field, and the command exits with status 1. A version, once "
        "loaded, never changes: loading the same file again changes nothing, and a different file "
        "with a version already loaded is refused. Assessments keep the version they were made with."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the instrument definition file (.yaml, .yml or .json)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        try:
            result = instrument_load(actor=None, text=decode(raw), filename=path.name)
        except InstrumentFileError as exc:
            for error in exc.errors:
                self.stderr.write(f"{path.name}: {error}")
            raise CommandError(f"{path.name} was refused ({len(exc.errors)} problem(s)); nothing was loaded.") from exc
        instrument = result.instrument
        if result.created:
            self.stdout.write(
                f"Loaded {instrument.key} version {instrument.version_label} ({instrument.get_kind_display()})."
            )
        else:
            self.stdout.write(
                f"{instrument.key} version {instrument.version_label} was already loaded from this file; nothing changed."
            )
