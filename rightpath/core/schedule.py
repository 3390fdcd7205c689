"""Periodic tasks: the worker puts each on the queue at its interval, once across all workers."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

# (dotted path of a django-tasks task, interval in seconds). Parts append their own.
PERIODIC: list[tuple[str, int]] = []


def register(task_path: str, every_seconds: int) -> None:
    if (task_path, every_seconds) not in PERIODIC:
        PERIODIC.append((task_path, every_seconds))


def enqueue_due() -> list[str]:
    """Enqueue every periodic task whose interval has passed; returns the names enqueued.

    The claim is a conditional UPDATE, so two workers never enqueue the same run twice.
    """
    from .models import PeriodicRun

    now = timezone.now()
    enqueued = []
    for path, seconds in PERIODIC:
        with transaction.atomic():
            claimed = PeriodicRun.objects.filter(
                name=path, last_enqueued_at__lte=now - timedelta(seconds=seconds)
            ).update(last_enqueued_at=now)
            if not claimed:
                try:
                    with transaction.atomic():
                        PeriodicRun.objects.create(name=path, last_enqueued_at=now)
                    claimed = 1
                except IntegrityError:
                    claimed = 0
            if claimed:
                import_string(path).enqueue()
                enqueued.append(path)
    return enqueued
