"""Reads for the platform administrator's system page: health and configuration, no case content."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count


def system_status() -> dict[str, Any]:
    """Database, task queue, audit sealing and the effective (non-secret) configuration."""
    from django_tasks_db.models import DBTaskResult

    from rightpath.accounts.models import Organisation, User
    from rightpath.audit.models import AuditEntry, AuditSeal

    tasks = dict(DBTaskResult.objects.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    last_seal = AuditSeal.objects.order_by("-id").first()
    last_entry_id = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return {
        "database": connection.vendor,
        "database_version": connection.get_database_version() if hasattr(connection, "get_database_version") else "",
        "tasks_ready": tasks.get("READY", 0),
        "tasks_running": tasks.get("RUNNING", 0),
        "tasks_failed": tasks.get("FAILED", 0),
        "last_seal": last_seal,
        "unsealed": max(0, last_entry_id - (last_seal.last_entry_id if last_seal else 0)),
        "organisations": Organisation.objects.filter(is_active=True).count(),
        "users": User.objects.filter(is_active=True, is_service_account=False).count(),
        "config": [
            ("MFA_ENFORCED", settings.MFA_ENFORCED),
            ("SESSION_IDLE_TIMEOUT", settings.SESSION_IDLE_TIMEOUT),
            ("SESSION_ABSOLUTE_TIMEOUT", settings.SESSION_COOKIE_AGE),
            ("AXES_FAILURE_LIMIT", settings.AXES_FAILURE_LIMIT),
            ("AXES_COOLOFF_MINUTES", int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)),
            ("SECURE_COOKIES", settings.SESSION_COOKIE_SECURE),
            ("TASKS_BACKEND", settings.TASKS["default"]["BACKEND"]),
            ("TIME_ZONE", settings.TIME_ZONE),
            ("SITE_URL", settings.SITE_URL),
        ],
    }
