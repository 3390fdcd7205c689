from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# How often the worker seals new entries: deletion and reordering are detectable this many seconds
# (plus AUDIT_SEAL_DELAY_SECONDS) after an entry is written.
SEAL_EVERY_SECONDS = 10


class AuditConfig(AppConfig):
    name = "rightpath.audit"
    label = "audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from rightpath.core import schedule

        from . import signals  # noqa: F401  (sign-in, sign-out and failed sign-in entries)

        schedule.register("rightpath.audit.tasks.seal_audit_log", SEAL_EVERY_SECONDS)
