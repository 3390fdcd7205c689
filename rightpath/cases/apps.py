from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "rightpath.cases"
    label = "cases"
    verbose_name = _("Case work")

    def ready(self) -> None:
        from rightpath.core import schedule

        schedule.register("rightpath.cases.tasks.notify_due_items", 3600)
