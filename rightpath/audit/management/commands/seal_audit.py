"""Seal pending audit entries now (the worker also does this every few seconds)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rightpath.audit.sealing import seal_pending


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        # A property: argparse needs a plain string, translated into the active language.
        return _(
            "Chain the audit entries written since the last seal into new seal rows, in id order. Only entries "
            "older than AUDIT_SEAL_DELAY_SECONDS and than the oldest open transaction are sealed; the rest wait "
            "for the next run. Safe to run at any time, alongside the worker: sealers are serialised."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = seal_pending()
        if count:
            self.stdout.write(ngettext("Sealed %(n)s entry.", "Sealed %(n)s entries.", count) % {"n": count})
        else:
            self.stdout.write(_("Nothing to seal."))
