from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "rightpath.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge hub")

    def seed_demo(self, command: Any) -> list[dict[str, str]]:
        """Demo data: the hub's public seed records (policies, practices, institutions, figures,
        frameworks of the Western Balkans and Europe, each with its source), published by the demo
        editor. Rows already in the hub are left out, so seeding twice changes nothing."""
        from django.core.management.base import CommandError

        from .transfer import seed_demo_records

        report = seed_demo_records()
        if not report.ok:
            raise CommandError("The knowledge seed file did not import:\n" + "\n".join(report.lines()))
        command.stdout.write(
            f"Knowledge hub: {report.created} seed record(s) imported, {report.skipped} already there."
        )
        return []
