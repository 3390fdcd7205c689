from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "rightpath.assessments"
    label = "assessments"
    verbose_name = _("Assessments")

    def seed_demo(self, command: Any) -> list[dict[str, str]]:
        """Demo assessments: loads the demonstration instrument and adds signed-off assessments with
        history (and one due for review) on demo cases. Runs after the case work seeder; seeding
        twice changes nothing."""
        from .demo import seed

        created, instrument = seed()
        command.stdout.write(
            f"Assessments: demonstration instrument {instrument.key} v{instrument.version} loaded; "
            f"{created} demo assessment(s) created."
        )
        return []
