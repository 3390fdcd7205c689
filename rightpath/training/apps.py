from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "rightpath.training"
    label = "training"
    verbose_name = _("Training")

    def seed_demo(self, command: Any) -> list[dict[str, str]]:
        """Demo training: the starter curriculum (one module per DRIVE pillar, plus women, minors and
        returnee families; lessons and a quiz each, in English, Albanian, Bosnian and Macedonian), a
        pre-test and post-test, learners with attempts, a certificate, and in-person sessions.
        Idempotent: the course is keyed by its fixed code, so seeding twice changes nothing."""
        from .demo import LEARNERS, TRAINER, seed

        created = seed()
        command.stdout.write("Training: starter curriculum " + ("created." if created else "already there."))
        command.stdout.write(
            f"  trainer {TRAINER}; learners {LEARNERS[0]} (trainer track completed, with a certificate)"
            f" and {LEARNERS[1]} (part-way through)."
        )
        return []
