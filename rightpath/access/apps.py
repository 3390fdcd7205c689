from importlib import import_module

from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "rightpath.access"
    label = "access"
    verbose_name = _("Access policy")

    def ready(self) -> None:
        # Each part of the product registers its rules in <part>/policy.py.
        for config in apps.get_app_configs():
            if config.name.startswith("rightpath."):
                try:
                    import_module(f"{config.name}.policy")
                except ModuleNotFoundError as exc:
                    if exc.name != f"{config.name}.policy":
                        raise
