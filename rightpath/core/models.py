"""Shared model pieces: every record has an unguessable code, timestamps and a version number."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class BaseModel(models.Model):
    """Base of every editable record.

    ``code`` is the only identifier that appears in URLs and API payloads (integer ids never leave
    the server). ``version`` is the optimistic-locking counter used by ``core.concurrency``.
    """

    code = models.UUIDField(_("code"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True


class PeriodicRun(models.Model):
    """When each periodic task was last put on the queue (shared by every worker process)."""

    name = models.CharField(max_length=200, unique=True)
    last_enqueued_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.name
