"""Print the audit log's head (the newest seal) for storage outside the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from rightpath.audit.models import AuditSeal


class Command(BaseCommand):
    @property
    def help(self) -> str:  # type: ignore[override]
        # A property: argparse needs a plain string, translated into the active language.
        return _(
            "Print the newest seal of the audit log as 'SEAL_ID:MAC'. Store the line somewhere the database "
            "administrator cannot write (a ticket, a mail to the data-protection officer, write-once storage); "
            "'verify_audit --head SEAL_ID:MAC' later proves that nothing up to that seal was removed or rewritten."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        seal = AuditSeal.objects.order_by("-id").first()
        if seal is None:
            raise CommandError(_("The audit log has no seals yet: run seal_audit first."))
        self.stdout.write(f"{seal.pk}:{seal.mac}")
