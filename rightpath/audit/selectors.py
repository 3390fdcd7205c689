"""Reads of the audit log, narrowed by the policy."""

from collections.abc import Mapping
from typing import Any

from rightpath.access.policy import visible
from rightpath.core.listing import paginate

from .models import AuditEntry


def entry_list(*, actor: Any, params: Mapping[str, str]) -> dict[str, Any]:
    """Entries the actor may read, filtered by ``event`` and ``actor``, newest first."""
    qs = visible(actor, "audit.entry.list", AuditEntry.objects.all())
    if params.get("event"):
        qs = qs.filter(event=params["event"])
    if params.get("actor"):
        qs = qs.filter(actor_label__icontains=params["actor"])
    return paginate(
        qs, params, sort_fields={"id": "id", "time": "created_at", "event": "event"}, default_sort="-id", page_size=50
    )
