"""Optimistic locking: a save succeeds only if nobody else saved the row since it was read."""

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConcurrentEditError(Exception):
    """Raised when the row changed since the editor loaded it; carries the current row."""

    def __init__(self, current: models.Model):
        self.current = current
        super().__init__(_("Someone else saved this record while you were editing it."))


def save_versioned(instance: models.Model, expected_version: int, fields: list[str]) -> None:
    """Write ``fields`` of ``instance`` only if the stored version is still ``expected_version``.

    Runs ``UPDATE … WHERE id = ? AND version = ?``; zero rows updated means a concurrent edit, and
    ``ConcurrentEditError`` carries the row as it is now so the user can compare and merge.
    """
    model = type(instance)
    values: dict[str, Any] = {f: getattr(instance, f) for f in fields}
    values["version"] = expected_version + 1
    if any(f.name == "updated_at" for f in model._meta.fields):
        values["updated_at"] = timezone.now()
    updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(**values)
    if not updated:
        raise ConcurrentEditError(model._default_manager.get(pk=instance.pk))
    instance.version = expected_version + 1
