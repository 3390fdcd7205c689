"""Reads of the audit log, narrowed by the policy."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils.dateparse import parse_date

from rightpath.access.policy import visible
from rightpath.core.listing import paginate

from .models import AuditEntry


def _filtered(actor: Any, params: Mapping[str, str]) -> tuple[QuerySet, dict[str, str]]:
    """Entries the actor may read, narrowed by the filters; returns the filter errors by field too."""
    qs = visible(actor, "audit.entry.list", AuditEntry.objects.all())
    errors: dict[str, str] = {}
    if params.get("event"):
        qs = qs.filter(event=params["event"])
    if params.get("actor"):
        qs = qs.filter(actor_label__icontains=params["actor"].strip())
    if params.get("object"):
        qs = qs.filter(target_id=params["object"].strip())
    for name, lookup in (("from", "created_at__date__gte"), ("to", "created_at__date__lte")):
        raw = params.get(name, "").strip()
        if raw:
            day: date | None = parse_date(raw) if len(raw) == 10 else None
            if day is None:
                errors[name] = raw
            else:
                qs = qs.filter(**{lookup: day})
    return qs, errors


def entry_list(*, actor: Any, params: Mapping[str, str]) -> dict[str, Any]:
    """A page of entries the actor may read, filtered by event, actor, object and dates, newest first."""
    qs, errors = _filtered(actor, params)
    page = paginate(
        qs, params, sort_fields={"id": "id", "time": "created_at", "event": "event"}, default_sort="-id", page_size=50
    )
    page["filter_errors"] = errors
    return page


def entry_export_rows(*, actor: Any, params: Mapping[str, str]) -> Iterator[list[Any]]:
    """Every entry matching the filters, oldest first, as rows for a CSV export (streamed)."""
    qs, _errors = _filtered(actor, params)
    for e in qs.order_by("id").iterator(chunk_size=2000):
        yield [
            e.id,
            e.created_at.isoformat(),
            e.event,
            e.actor_label,
            e.organisation_id or "",
            e.target_type,
            e.target_id,
            e.address or "",
            e.justification,
        ]
