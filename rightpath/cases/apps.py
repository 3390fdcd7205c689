from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "rightpath.cases"
    label = "cases"
    verbose_name = _("Case work")

    def ready(self) -> None:
        from rightpath.core import schedule

        schedule.register("rightpath.cases.tasks.notify_due_items", 3600)
        schedule.register("rightpath.cases.tasks_retention.apply_retention_daily", 24 * 3600)

    def seed_demo(self, command: Any) -> list[dict[str, str]]:
        """Demo case work (rightpath/cases/demo.py): synthetic cases in Kosovo, Bosnia and Herzegovina
        and North Macedonia with their teams, agreements, plans, sessions, referrals and hand-overs,
        and the users they need. Prints, from the policy, what the users that outside checks need can
        and cannot open; returns the added users' logins for the accounts seeder's table."""
        from . import demo

        rows, created = demo.seed()
        write = command.stdout.write
        write(
            f"Case work: {len(created)} demo case(s) created"
            + (f" ({', '.join(created)})" if created else "")
            + f", {len(demo.CASES) - len(created)} already there."
        )
        write("")
        write("What the users that outside checks need can open on the demo cases (from the policy):")
        demo.print_table(write, demo.access_rows(), demo.ACCESS_HEADERS)
        write("")
        return rows
